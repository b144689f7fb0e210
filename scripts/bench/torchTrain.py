# The PyTorch peer of the training benchmarks: one thread, the model CE Lab's
# {"torch_seed": s} builds (torch.manual_seed(s), then nn.Linear layers in order),
# the same data, a plain training loop that reads each step's loss.
# Reads one JSON request per line on stdin, answers one JSON line per request.
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
ACTIVATIONS = {'relu': torch.relu, 'tanh': torch.tanh, 'sigmoid': torch.sigmoid, 'gelu': F.gelu}


def run(req):
    dtype = torch.float32 if req['dtype'] == 'float32' else torch.float64
    torch.manual_seed(req['seed'])
    widths = req['widths']
    layers = [torch.nn.Linear(widths[i], widths[i + 1]).to(dtype) for i in range(len(widths) - 1)]
    params = [p for layer in layers for p in layer.parameters()]
    o = dict(req['optimizer'])
    kind = o.pop('type')
    if 'betas' in o:
        o['betas'] = tuple(o['betas'])
    opt = {'sgd': torch.optim.SGD, 'adam': torch.optim.Adam, 'adamw': torch.optim.AdamW}[kind](params, **o)
    act = ACTIVATIONS[req['activation']]
    x = torch.tensor(req['x'], dtype=dtype)
    y = torch.tensor(req['target'], dtype=torch.long)

    def step():
        h = x
        for i, layer in enumerate(layers):
            h = layer(h)
            if i < len(layers) - 1:
                h = act(h)
        loss = F.cross_entropy(h, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    losses = []
    start = time.perf_counter()
    cpu = time.process_time()
    for _ in range(req['steps']):
        losses.append(step())
    return {'seconds': time.perf_counter() - start, 'cpu_seconds': time.process_time() - cpu, 'first_losses': losses[:3], 'torch': torch.__version__}


for line in sys.stdin:
    print(json.dumps(run(json.loads(line))), flush=True)
