// The generated script's calibration (docs/CALIBRATION.md) in its own PyTorch
// code, no other package: the figures in float64 with bin edges b / B and
// (lower, upper] bins, and the fitted temperature by safeguarded Newton on
// β = 1/T with the NLL's exact derivatives, so a user can check `ce-lab run`'s.

export const CALIBRATION_FUNCTION = `def calibration_rows(logits, target, ignore_index):
    """The rows (N·d1·…, C) of the logits in float64 and their targets, rows at ignore_index left out."""
    x = logits.detach().double()
    if x.dim() == 1:
        x, target = x.unsqueeze(0), target.unsqueeze(0)
    x = x.movedim(1, -1).reshape(-1, x.shape[1])
    t = target.reshape(-1)
    return x[t != ignore_index], t[t != ignore_index]


def calibration_figures(x, t, T, bins):
    """ECE, MCE, Brier, NLL, accuracy and the reliability bins of rows x at temperature T."""
    edges = torch.arange(bins + 1, dtype=torch.float64) / bins
    z = x / T
    p = torch.softmax(z, 1)
    conf = p.max(1).values
    right = (z.argmax(1) == t).double()  # argmax: the first largest on a tie
    b = (torch.searchsorted(edges, conf) - 1).clamp(0, bins - 1)  # bin b holds (edges[b], edges[b + 1]]
    ece, mce, reliability = 0.0, 0.0, []
    for k in range(bins):
        mask = b == k
        n = int(mask.sum())
        entry = {"lower": edges[k].item(), "upper": edges[k + 1].item(), "count": n}
        if n:
            entry["confidence"] = conf[mask].mean().item()
            entry["accuracy"] = right[mask].mean().item()
            gap = abs(entry["accuracy"] - entry["confidence"])
            ece += n / len(t) * gap
            mce = max(mce, gap)
        reliability.append(entry)
    brier = ((p - F.one_hot(t, x.shape[1]).double()) ** 2).sum(1).mean().item()
    nll = F.cross_entropy(z, t).item()
    return {"ece": ece, "mce": mce, "brier": brier, "nll": nll, "accuracy": right.mean().item(), "reliability": reliability}


def calibration(logits, target, temperature, bins, ignore_index):
    """CE Lab's calibration: the figures at the cell's temperature, and the T minimising the NLL of logits / T."""
    x, t = calibration_rows(logits, target, ignore_index)

    def slope_and_curvature(beta):
        # d/dβ and d²/dβ² of mean −log softmax(β·x)[t]: mean(E_p[x] − x_t) and mean(Var_p[x])
        p = torch.softmax(x / (1 / beta), 1)
        mean = (p * x).sum(1)
        variance = (p * (x - mean[:, None]) ** 2).sum(1)
        return (mean - x.gather(1, t[:, None])[:, 0]).mean().item(), variance.mean().item()

    lo, hi, lo_known, hi_known = 1e-3, 1e3, False, False
    beta, bounded, passes = min(hi, max(lo, 1 / temperature)), False, 0
    while True:
        passes += 1
        slope, curvature = slope_and_curvature(beta)
        if slope == 0 or not math.isfinite(slope) or passes >= 60:
            break
        if (slope < 0 and beta == 1e3) or (slope > 0 and beta == 1e-3):
            bounded = True
            break
        if slope < 0:
            lo, lo_known = beta, True
        else:
            hi, hi_known = beta, True
        step = beta - slope / curvature
        if not (lo < step < hi):
            step = hi if slope < 0 and not hi_known else lo if slope > 0 and not lo_known else math.sqrt(lo * hi)
        if abs(step - beta) <= 1e-9 * beta:
            break
        beta = step
    at_cell, fitted = calibration_figures(x, t, temperature, bins), calibration_figures(x, t, 1 / beta, bins)
    return {"bins": bins, **{k: v for k, v in at_cell.items() if k != "reliability"}, "rows": len(t),
            "reliability": at_cell["reliability"],
            "temperature": {"fitted": 1 / beta, "nll": fitted["nll"], "ece": fitted["ece"], "bounded": bounded,
                            "passes": passes, "reliability": fitted["reliability"]}}`;
