"""Benchmark: `odibi-sql compile` (parse, qualify, render duckdb + spark, manifest) on generated projects.

Targets (issue: foundation): 1,000 nodes in under 5 s and under 500 MB peak on a 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_project import generate  # noqa: E402
from measure import measure  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    print(f"{'nodes':>6} {'wall s':>8} {'compile s':>10} {'cpu s':>8} {'peak MB':>8}  target")
    for n in args.sizes:
        project = generate(OUT / f"compile_{n}", n)
        result = measure(
            "compile", "--project-dir", str(project), "--dialect", "duckdb", "--dialect", "spark"
        )
        ok = "ok" if result["wall_seconds"] < 5 and result["peak_mb"] < 500 else "MISSED (<5 s, <500 MB)"
        print(
            f"{n:>6} {result['wall_seconds']:>8.2f} {result['seconds']:>10.2f} "
            f"{result['cpu_seconds']:>8.2f} {result['peak_mb']:>8.0f}  {ok}"
        )


if __name__ == "__main__":
    main()
