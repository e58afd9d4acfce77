"""Benchmark: `odibi-sql run` of a generated project against the floor, the same statements run
directly on one DuckDB connection.

Target (issue 4): for a 500-node project, odibi-sql run wall time / floor <= 1.15. The project
reads 10 parquet files of ``--rows`` rows (300,000 rows in all by default) and every silver and
gold node is a table built from them (selects, joins, windows, aggregates).

The floor executes, in a plain Python loop on one DuckDB connection to a fresh file, exactly the
statements odibi-sql recorded for the run (``target/run_results.json``), after the same session
settings. Both run as fresh processes (interpreter start and imports included), interleaved
(odibi, floor, odibi, floor, ...) so load from other processes hits both alike; the median ratio
of the repeats is reported. A second run (every target exists, so every node is rebuilt) is
timed against the floor re-running the statements on its existing file.

The overhead breakdown comes from one more run, in process and on one thread, with timers around
each stage (exclusive: a stage's time excludes the stages timed inside it).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_project import generate  # noqa: E402
from measure import measure  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TARGET_RATIO = 1.15

_FLOOR = """
import json, sys, time
start = time.perf_counter()
import duckdb
statements = json.loads(open(sys.argv[1], encoding="utf-8").read())
con = duckdb.connect(sys.argv[2])
for statement in statements:
    con.execute(statement).fetchall()
con.close()
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


_BREAKDOWN = """
import json, sys, time
start = time.perf_counter()
from odibi_sql.cli.app import main
imported = time.perf_counter() - start
from breakdown import StageTimer
timer = StageTimer()
timer.instrument()
start = time.perf_counter()
code = main(["run", "--project-dir", sys.argv[1], "--threads", "1"])
print(json.dumps({"exit": code, "import": imported, "seconds": time.perf_counter() - start, **timer.totals}))
"""


def recorded_statements(project: Path) -> list[str]:
    """The session settings, then every statement odibi-sql executed, node by node in run order."""
    from sqlglot import exp

    from odibi_sql.dialect import capabilities, to_sql

    settings = [
        to_sql(exp.Set(expressions=[exp.EQ(this=exp.var(k), expression=exp.Literal.string(v))]), "duckdb")
        for k, v in capabilities("duckdb").session_settings.items()
    ]
    results = json.loads((project / "target" / "run_results.json").read_text(encoding="utf-8"))
    failed = [r["node"] for r in results["results"] if r["status"] != "success"]
    if failed:
        raise RuntimeError(f"odibi-sql run failed for {', '.join(failed[:5])}")
    return settings + [s for r in results["results"] for s in r["statements"]]


def run_floor(statements_file: Path, database: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _FLOOR, str(statements_file), str(database)], capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"floor failed:\n{proc.stderr}")
    return {"wall_seconds": wall, **json.loads(proc.stdout.strip().splitlines()[-1])}


def run_odibi(project: Path, fresh: bool, *extra: str) -> dict:
    if fresh:
        shutil.rmtree(project / "target", ignore_errors=True)
    return measure("run", "--project-dir", str(project), *extra)


def fresh_database(work: Path) -> Path:
    for leftover in work.glob("floor.duckdb*"):
        leftover.unlink()
    return work / "floor.duckdb"


def compare(project: Path, repeats: int, extra: tuple[str, ...]) -> dict[str, list[tuple[dict, dict]]]:
    """``repeats`` x (odibi first run, floor first run, odibi second run, floor second run)."""
    pairs: dict[str, list[tuple[dict, dict]]] = {"first run": [], "second run": []}
    with tempfile.TemporaryDirectory(prefix="odibi_floor_") as tmp:
        work = Path(tmp)
        statements = work / "statements.json"
        for _ in range(repeats):
            first = run_odibi(project, True, *extra)
            statements.write_text(json.dumps(recorded_statements(project)), encoding="utf-8")
            database = fresh_database(work)
            pairs["first run"].append((first, run_floor(statements, database)))
            second = run_odibi(project, False, *extra)
            statements.write_text(json.dumps(recorded_statements(project)), encoding="utf-8")
            pairs["second run"].append((second, run_floor(statements, database)))
    return pairs


def breakdown(project: Path) -> dict[str, float]:
    """One more run (targets exist: a second run), in process, one thread, timed by stage."""
    proc = subprocess.run(
        [sys.executable, "-c", _BREAKDOWN, str(project)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"breakdown run failed:\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result.pop("exit") != 0:
        raise RuntimeError("breakdown run failed")
    return result


def print_breakdown(project: Path, floor_seconds: float) -> None:
    stages = breakdown(project)
    total = stages.pop("seconds")
    stages["other (CLI, scheduling, tests, checksums)"] = total - sum(
        v for k, v in stages.items() if k != "import"
    )
    print(
        f"\nbreakdown of one more odibi-sql run --threads 1 (second run), in process: {total:.2f} s + import"
    )
    for stage, seconds in stages.items():
        print(f"  {stage:<44} {seconds:>7.2f} s")
    print(f"  {'(floor of the second run, for reference)':<44} {floor_seconds:>7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500], help="nodes in the generated project")
    parser.add_argument("--rows", type=int, default=30_000, help="rows in each of the 10 source files")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--threads", type=int, default=None, help="odibi-sql run --threads (default: the target's)"
    )
    args = parser.parse_args()
    extra = ("--threads", str(args.threads)) if args.threads else ()
    print(
        f"{'nodes':>6} {'run':<11} {'odibi s':>8} {'floor s':>8} {'ratio':>6} "
        f"{'odibi in-proc s':>16} {'floor in-proc s':>16}  target"
    )
    for n in args.sizes:
        project = generate(OUT / f"run_{n}", n, rows=args.rows, source_format="parquet")
        for run, pairs in compare(project, args.repeats, extra).items():
            ratios = [odibi["wall_seconds"] / floor["wall_seconds"] for odibi, floor in pairs]
            ratio = statistics.median(ratios)
            odibi_s = statistics.median(o["wall_seconds"] for o, _ in pairs)
            floor_s = statistics.median(f["wall_seconds"] for _, f in pairs)
            odibi_in = statistics.median(o["seconds"] for o, _ in pairs)
            floor_in = statistics.median(f["seconds"] for _, f in pairs)
            ok = "ok" if ratio <= TARGET_RATIO else f"MISSED (<= {TARGET_RATIO})"
            print(
                f"{n:>6} {run:<11} {odibi_s:>8.2f} {floor_s:>8.2f} {ratio:>6.2f} "
                f"{odibi_in:>16.2f} {floor_in:>16.2f}  {ok}   ratios: {', '.join(f'{r:.2f}' for r in ratios)}"
            )
        print_breakdown(project, floor_in)


if __name__ == "__main__":
    main()
