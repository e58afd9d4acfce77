"""Benchmark: `odibi-sql run` on a Spark target against the floor, the same statements executed on
one already-started SparkSession.

Target (issue 14): odibi-sql run / floor <= 1.2, for the example project (examples/olist, day 1)
and a generated 100-node project (bench/generate_project.py, parquet sources).

One local SparkSession (local[2], parquet tables, the catalog odibi-sql gives the sessions it
starts, the dialect's session settings) is started once and timed on its own: JVM and catalog
start-up are the same for any program and are not part of either side. So is the JVM's warm-up
(class loading, JIT) on first use of each kind of statement: an untimed run of the example warms
the session before anything is timed, otherwise whichever side ran first would pay it. Then, per
repeat:
``odibi-sql run`` in process on that session (the CLI uses the active session), from an empty
catalog; the catalog emptied again; the floor: every statement odibi-sql recorded for that run
(``target/run_results.json``: the Spark SQL that ran, file readers as external tables included),
in order, each ``spark.sql(...).collect()``-ed in a plain loop. A second run (every table exists)
is timed against the floor re-running its recorded statements. The median ratio is reported.

Where the time goes: per node, odibi-sql's node time minus the floor's time for the node's
statements (what odibi-sql adds: catalog lookups, row counts, watermark reads), and the run's time
outside nodes (load, compile, artifacts).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_project import generate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"
TARGET_RATIO = 1.2
TARGET = {"dialect": "spark", "master": "local[2]", "table_format": "parquet"}


def start_session(work: Path):
    """The session odibi-sql would start for TARGET (catalog under ``work``), plus test-free UI."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from odibi_sql.adapters.spark_catalog import LocalCatalog
    from odibi_sql.dialect import capabilities
    from odibi_sql.project.config import SparkTarget

    catalog = LocalCatalog.of(SparkTarget(**TARGET), work)
    builder = SparkSession.builder.master(TARGET["master"]).appName("odibi-sql-bench")
    settings = {**catalog.conf(), "spark.ui.showConsoleProgress": "false"}
    settings |= capabilities("spark").session_settings
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("FATAL")
    return session


def cpu_seconds(spark) -> float:
    """CPU seconds used so far by this process and the session's JVM (both sides' work)."""
    fields = Path(f"/proc/{spark.sparkContext._gateway.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return time.process_time() + sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def empty_catalog(spark) -> None:
    for database in spark.catalog.listDatabases():
        if database.name != "default":
            for table in spark.catalog.listTables(database.name):
                kind = "VIEW" if table.tableType == "VIEW" else "TABLE"
                spark.sql(f"DROP {kind} IF EXISTS `{database.name}`.`{table.name}`")
            spark.sql(f"DROP SCHEMA IF EXISTS `{database.name}` CASCADE")
    spark.catalog.clearCache()


def odibi_run(project: Path, fresh: bool) -> tuple[float, dict]:
    from odibi_sql.cli.app import main

    if fresh:
        shutil.rmtree(project / "target", ignore_errors=True)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(["run", "--project-dir", str(project), "--target", "spark"])
    seconds = time.perf_counter() - start
    if code != 0:
        raise RuntimeError(f"odibi-sql run failed:\n{out.getvalue()[-3000:]}")
    return seconds, json.loads((project / "target/run_results.json").read_text(encoding="utf-8"))


def floor_run(spark, results: dict) -> tuple[float, dict[str, float]]:
    """Every recorded statement in order; total seconds and seconds per node."""
    per_node: dict[str, float] = {}
    spark.sql("CREATE SCHEMA IF NOT EXISTS odibi_meta")  # the adapter's one statement before any node
    start = time.perf_counter()
    for result in results["results"]:
        node_start = time.perf_counter()
        for recorded in result["statements"]:
            for statement in recorded.split(";\n"):  # external tables first, as recorded
                spark.sql(statement).collect()
        per_node[result["node"]] = time.perf_counter() - node_start
    return time.perf_counter() - start, per_node


def compare(spark, project: Path, repeats: int) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {"first run": [], "second run": []}
    for _ in range(repeats):
        for name, fresh in (("first run", True), ("second run", False)):
            if fresh:
                empty_catalog(spark)
            cpu = cpu_seconds(spark)
            odibi, results = odibi_run(project, fresh)
            odibi_cpu = cpu_seconds(spark) - cpu
            if fresh:
                empty_catalog(spark)
            cpu = cpu_seconds(spark)
            floor, per_node = floor_run(spark, results)
            floor_cpu = cpu_seconds(spark) - cpu
            nodes = {r["node"]: r["seconds"] for r in results["results"]}
            runs[name].append(
                {
                    "odibi": odibi,
                    "floor": floor,
                    "odibi_cpu": odibi_cpu,
                    "floor_cpu": floor_cpu,
                    "nodes": nodes,
                    "floor_nodes": per_node,
                }
            )
    return runs


def olist_project(out: Path) -> Path:
    root = out / "olist"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO / "examples/olist", root, ignore=shutil.ignore_patterns("data", "target"))
    subprocess.run([sys.executable, str(root / "generate_data.py")], check=True, capture_output=True)
    return root


def with_spark_target(root: Path) -> Path:
    config = yaml.safe_load((root / "odibi_project.yaml").read_text(encoding="utf-8"))
    config.setdefault("targets", {})["spark"] = TARGET
    (root / "odibi_project.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def report(label: str, runs: dict[str, list[dict]]) -> None:
    for name, repeats in runs.items():
        ratios = [r["odibi"] / r["floor"] for r in repeats]
        ratio = statistics.median(ratios)
        odibi = statistics.median(r["odibi"] for r in repeats)
        floor = statistics.median(r["floor"] for r in repeats)
        odibi_cpu = statistics.median(r["odibi_cpu"] for r in repeats)
        floor_cpu = statistics.median(r["floor_cpu"] for r in repeats)
        ok = "ok" if ratio <= TARGET_RATIO else f"MISSED (<= {TARGET_RATIO})"
        print(
            f"{label:<12} {name:<11} {odibi:>8.2f} {floor:>8.2f} {ratio:>6.2f} "
            f"{odibi_cpu:>9.1f} {floor_cpu:>9.1f}  {ok}   "
            f"ratios: {', '.join(f'{r:.2f}' for r in ratios)}"
        )
    last = runs["second run"][-1]
    in_nodes = sum(last["nodes"].values())
    extra = {n: s - last["floor_nodes"].get(n, 0.0) for n, s in last["nodes"].items()}
    print(
        f"    where the time of the last second run goes: {last['odibi']:.2f} s = nodes {in_nodes:.2f} s "
        f"(floor's statements {sum(last['floor_nodes'].values()):.2f} s + odibi-sql's reads "
        f"{sum(extra.values()):.2f} s) + outside nodes (load, compile, catalog read, artifacts) {last['odibi'] - in_nodes:.2f} s"
    )
    top = sorted(extra.items(), key=lambda kv: -kv[1])[:3]
    print("    most added per node: " + ", ".join(f"{n} +{s:.2f} s" for n, s in top))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=100, help="nodes in the generated project")
    parser.add_argument("--rows", type=int, default=2_000, help="rows in each of its 10 source files")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="odibi_spark_bench_") as tmp:
        start = time.perf_counter()
        spark = start_session(Path(tmp))
        spark.catalog.listDatabases()
        print(f"session start (JVM + catalog), not in either side: {time.perf_counter() - start:.2f} s")
        olist = with_spark_target(olist_project(OUT / "spark_run"))
        start = time.perf_counter()
        for fresh in (True, False):
            odibi_run(olist, fresh)
        empty_catalog(spark)
        print(f"warm-up (the example, run twice), not in either side: {time.perf_counter() - start:.2f} s\n")
        print(
            f"{'project':<12} {'run':<11} {'odibi s':>8} {'floor s':>8} {'ratio':>6} {'odibi cpu':>9} {'floor cpu':>9}  target"
        )
        projects = {
            "olist": olist,
            f"{args.nodes} nodes": with_spark_target(
                generate(OUT / f"spark_run_{args.nodes}", args.nodes, rows=args.rows, source_format="parquet")
            ),
        }
        measured = {}
        for label, project in projects.items():
            measured[label] = compare(spark, project, args.repeats)
            report(label, measured[label])
        (OUT / "spark_run_bench.json").write_text(json.dumps(measured, indent=1), encoding="utf-8")
        spark.stop()


if __name__ == "__main__":
    main()
