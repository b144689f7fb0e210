# The PyTorch side of the differential tests: one long-lived process that reads
# one JSON request per line on stdin and answers one JSON line on stdout.
# It reads a scenario's loss cell or train cell the way a PyTorch user would
# write it by hand, independently of the engine's TypeScript.
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from json_floats import decode, encode

torch.set_num_threads(1)
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def floats(value, dtype):
    return torch.tensor(decode(value), dtype=dtype)


def class_indices(value):
    values = torch.tensor(decode(value), dtype=torch.float64)
    if not torch.equal(values, values.round()):
        raise ValueError("a class-index target must hold integers")
    return values.to(torch.long)


def loss_case(req):
    cell, dtype = req["cell"], DTYPES[req["dtype"]]
    logits = floats(cell["logits"], dtype).requires_grad_(True)
    raw_target = torch.tensor(decode(cell["target"]), dtype=torch.float64)
    # PyTorch reads a target of the logits' shape as probabilities (a float tensor).
    target = raw_target.to(dtype) if raw_target.shape == logits.shape else class_indices(cell["target"])
    weight = floats(cell["weight"], dtype) if cell.get("weight") is not None else None
    temperature = cell.get("temperature", 1)
    scaled = logits / temperature if temperature != 1 else logits
    loss = F.cross_entropy(
        scaled,
        target,
        weight=weight,
        ignore_index=cell.get("ignore_index", -100),
        reduction=cell.get("reduction", "mean"),
        label_smoothing=cell.get("label_smoothing", 0.0),
    )
    # A scenario's grad_output defaults to ones of the loss's shape (what .sum().backward() gives).
    grad_output = floats(cell["grad_output"], dtype) if cell.get("grad_output") is not None else torch.ones_like(loss)
    loss.backward(grad_output)
    answer = {"loss": encode(loss.detach().tolist()), "grad": encode(logits.grad.tolist())}
    if req.get("magnitude"):
        # The same loss over |terms|: |w|, |y| and -log p >= 0, so it is (at least) the sum of the terms' magnitudes,
        # which bounds what rounding each term can do to a sum with cancellations.
        with torch.no_grad():
            magnitude = F.cross_entropy(
                scaled,
                target.abs() if target.is_floating_point() else target,
                weight=weight.abs() if weight is not None else None,
                ignore_index=cell.get("ignore_index", -100),
                reduction=cell.get("reduction", "mean"),
                label_smoothing=cell.get("label_smoothing", 0.0),
            )
        answer["magnitude"] = encode(magnitude.tolist())
    return answer


ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}


def make_optimizer(spec, params):
    kind = spec["type"]
    options = {k: v for k, v in spec.items() if k != "type"}
    if "betas" in options:
        options["betas"] = tuple(options["betas"])
    return {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind](params, **options)


def train_case(req):
    cell, dtype = req["cell"], DTYPES[req["dtype"]]
    model_spec = cell["model"]
    widths = model_spec["layers"]
    torch.manual_seed(model_spec["init"]["torch_seed"])
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(ACTIVATIONS[model_spec.get("activation", "relu")]())
    model = nn.Sequential(*layers).to(dtype)
    x = floats(cell["data"]["x"], dtype)
    target = class_indices(cell["data"]["target"])
    loss_spec = cell.get("loss", {})
    weight = floats(loss_spec["weight"], dtype) if loss_spec.get("weight") is not None else None
    optimizer = make_optimizer(cell["optimizer"], model.parameters())
    n, batch = x.shape[0], cell.get("batch_size")
    losses = []
    for step in range(cell["steps"]):
        rows = slice(None) if batch is None else slice((step * batch) % n, min((step * batch) % n + batch, n))
        loss = F.cross_entropy(
            model(x[rows]),
            target[rows],
            weight=weight,
            ignore_index=loss_spec.get("ignore_index", -100),
            reduction=loss_spec.get("reduction", "mean"),
            label_smoothing=loss_spec.get("label_smoothing", 0.0),
        )
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"losses": encode(losses)}


def calibration_figures(z, t, bins):
    """ECE, MCE, Brier, NLL, accuracy and the reliability bins of logits z (float64), as gpleiss/temperature_scaling bins them."""
    softmaxes = F.softmax(z, 1)
    confidences = softmaxes.max(1).values
    accuracies = z.argmax(1).eq(t).double()
    edges = torch.linspace(0, 1, bins + 1, dtype=torch.float64)
    ece, mce, reliability = torch.zeros((), dtype=torch.float64), 0.0, []
    for lower, upper in zip(edges[:-1], edges[1:]):
        in_bin = confidences.gt(lower) * confidences.le(upper)
        if lower == 0:
            in_bin = in_bin | confidences.le(0)
        entry = {"lower": lower.item(), "upper": upper.item(), "count": int(in_bin.sum())}
        if entry["count"] > 0:
            entry["accuracy"] = accuracies[in_bin].mean().item()
            entry["confidence"] = confidences[in_bin].mean().item()
            gap = abs(entry["accuracy"] - entry["confidence"])
            ece += in_bin.double().mean() * gap
            mce = max(mce, gap)
        reliability.append(entry)
    one_hot = torch.zeros_like(softmaxes).scatter_(1, t[:, None], 1.0)
    return {
        "ece": ece.item(),
        "mce": mce,
        "brier": ((softmaxes - one_hot) ** 2).sum(1).mean().item(),
        "nll": F.nll_loss(F.log_softmax(z, 1), t).item(),
        "accuracy": accuracies.mean().item(),
        "reliability": reliability,
    }


def calibration_case(req):
    """A loss cell's calibration, independently: the figures, the NLL's minimiser by bisection on the sign of
    autograd's dNLL/dT, and what torch.optim.LBFGS reaches from T = 1.5 as gpleiss/temperature_scaling runs it."""
    cell, dtype, bins = req["cell"], DTYPES[req["dtype"]], req["bins"]
    logits = floats(cell["logits"], dtype).double()  # rounded to the scenario's dtype, then float64
    target = class_indices(cell["target"])
    keep = target != cell.get("ignore_index", -100)
    x, t = logits[keep], target[keep]
    answer = {"at_cell": calibration_figures(x / cell.get("temperature", 1), t, bins), "rows": int(keep.sum())}

    def slope(log_t):
        temperature = torch.tensor(log_t, dtype=torch.float64).exp().requires_grad_(True)
        F.cross_entropy(x / temperature, t).backward()
        return temperature.grad.item()

    lo, hi = math.log(1e-3), math.log(1e3)
    for _ in range(200):
        mid = (lo + hi) / 2
        if slope(mid) > 0:
            hi = mid
        else:
            lo = mid
    answer["bisected_t"] = math.exp((lo + hi) / 2)
    answer["at_engine_t"] = calibration_figures(x / req["engine_t"], t, bins)
    temperature = nn.Parameter(torch.ones(1, dtype=torch.float64) * 1.5)
    optimizer = torch.optim.LBFGS([temperature], lr=0.01, max_iter=50)

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(x / temperature, t)
        loss.backward()
        return loss

    optimizer.step(closure)
    answer["lbfgs_t"] = temperature.item()
    answer["lbfgs_nll"] = F.cross_entropy(x / temperature.detach(), t).item()
    return answer


HANDLERS = {"loss": loss_case, "train": train_case, "calibration": calibration_case}

print(json.dumps({"ready": torch.__version__}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    try:
        answer = HANDLERS[request["kind"]](request)
    except Exception as error:  # every refusal PyTorch makes is an answer, not a crash
        answer = {"error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
