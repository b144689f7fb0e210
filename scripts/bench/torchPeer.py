# The PyTorch side of `npm run bench`: reads one case {"id", "torch"} per line
# as JSON on stdin, runs its setup() and times the call it returns the way
# benchCase.ts times CE Lab's (median per call, wall clock and CPU time, and the best batch, over
# batches of >= 2 ms for ~0.5 s) on one thread; answers one JSON line per case.
# The first line out is {"version": ...}.
import json
import sys
import time

import torch

torch.set_num_threads(1)


def median(values):
    return sorted(values)[len(values) // 2]


def timing(fn, budget=0.5):
    for _ in range(3):
        fn()
    batch = 1
    while True:
        start = time.perf_counter()
        for _ in range(batch):
            fn()
        if time.perf_counter() - start >= 0.002 or batch >= 1 << 20:
            break
        batch *= 2
    wall, cpu = [], []
    end = time.perf_counter() + budget
    while len(wall) < 7 or time.perf_counter() < end:
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(batch):
            fn()
        cpu.append((time.process_time() - cpu_start) / batch)
        wall.append((time.perf_counter() - start) / batch)
    return {"wall": median(wall), "cpu": median(cpu), "best": min(wall)}


print(json.dumps({"version": torch.__version__}), flush=True)
for line in sys.stdin:
    case = json.loads(line)
    namespace = {"torch": torch}
    exec(case["torch"], namespace)
    print(json.dumps(timing(namespace["setup"]())), flush=True)
