"""Runs a command and prints {"wall_s", "peak_rss_mb", "stdout"} as one JSON line:
wall time and the peak resident memory of the process tree (RUSAGE_CHILDREN
takes the largest child's, which is the command itself), measured the same way
for CE Lab and for PyTorch.
    python3 measure.py COMMAND ARGS...
"""
import json
import resource
import subprocess
import sys
import time

start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
if done.returncode != 0:
    sys.stderr.write(done.stderr)
    sys.exit(done.returncode)
print(json.dumps({"wall_s": wall, "peak_rss_mb": peak, "stdout": done.stdout}))
