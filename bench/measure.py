"""Run one odibi-sql command in a fresh process and report wall time and peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
import time

_CHILD = """
import json, resource, sys, time
from odibi_sql.cli.app import exit_now, main
start = time.perf_counter()
code = main(sys.argv[1:])
elapsed = time.perf_counter() - start
usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
peak = max(u.ru_maxrss for u in usage) / 1024
cpu = sum(u.ru_utime + u.ru_stime for u in usage)
print(json.dumps({"exit": code, "seconds": elapsed, "cpu_seconds": cpu, "peak_mb": peak}), file=sys.stderr)
exit_now(code)  # as the odibi-sql command ends
"""


def measure(*args: str) -> dict:
    """Wall time of the whole process (imports included), in-process time, CPU seconds (the process
    and its forked workers: steadier than wall time on a shared machine) and peak RSS."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "{}"
    try:
        result = json.loads(last)
    except ValueError:
        raise RuntimeError(f"odibi-sql {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}") from None
    if result.get("exit") != 0:
        raise RuntimeError(f"odibi-sql {' '.join(args)} exited {result.get('exit')}:\n{proc.stderr}")
    return {"wall_seconds": wall, **result}
