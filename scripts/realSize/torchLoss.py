"""The PyTorch peer of `npm run bench:real`: loads a real-size logits file the
way a PyTorch user would (numpy for .npy, the safetensors layout read directly
for .safetensors, as the safetensors package does) and takes the loss; for a
cell with "calibration": true, also the calibration figures and fitted
temperature, by the generated script's own PyTorch code (CALIBRATION_PY: a
file holding core/pytorch/calibrationCode.ts's function, written by the bench).
    python3 torchLoss.py SCENARIO.ce.json    prints {"loss": ...} as one JSON line
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F


def load(spec, folder):
    if "npy" in spec:
        return torch.from_numpy(np.load(os.path.join(folder, spec["npy"])))
    path = os.path.join(folder, spec["safetensors"])
    with open(path, "rb") as f:
        size = int.from_bytes(f.read(8), "little")
        entry = json.loads(f.read(size))[spec["key"]]
        begin, end = entry["data_offsets"]
        f.seek(8 + size + begin)
        raw = np.frombuffer(f.read(end - begin), dtype=np.int16 if entry["dtype"] in ("BF16", "F16") else np.float32)
    tensor = torch.from_numpy(raw.copy())
    if entry["dtype"] == "BF16":
        tensor = tensor.view(torch.bfloat16)
    elif entry["dtype"] == "F16":
        tensor = tensor.view(torch.float16)
    return tensor.reshape(entry["shape"])


def main():
    scenario_path = sys.argv[1]
    folder = os.path.dirname(os.path.abspath(scenario_path))
    with open(scenario_path) as f:
        cell = json.load(f)["cells"][0]
    logits = load(cell["logits"], folder).float()
    target = load(cell["target"], folder).long()
    loss = F.cross_entropy(logits, target, label_smoothing=cell.get("label_smoothing", 0.0))
    result = {"loss": loss.item()}
    if cell.get("calibration") is True:
        code = {"math": math, "torch": torch, "F": F}
        with open(os.environ["CALIBRATION_PY"]) as f:
            exec(f.read(), code)
        figures = code["calibration"](logits, target, 1.0, 15, -100)
        result.update(ece=figures["ece"], fitted=figures["temperature"]["fitted"])
    print(json.dumps(result))


main()
