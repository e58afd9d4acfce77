"""Run output as dbt users read it: timestamped START and result lines, target/odibi.log with the
SQL of each statement, --log-format json, a recap of failures, global options anywhere on the
line, a total time counted from the process start, and the whole SQL in --dry-run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.functional.helpers import run_cli, write_project

PROJECT = """
    name: out
    targets:
      dev: {dialect: duckdb, path: target/dev.duckdb, threads: 1}
"""
GOOD = """
pipeline: p
nodes:
  - name: a
    sql: "select 1 as id"
  - name: b
    sql: "select id + 1 as id from {{ ref('a') }}"
"""


def _project(tmp_path: Path, pipeline: str = GOOD) -> Path:
    return write_project(tmp_path / "out", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": pipeline})


def test_start_and_result_lines_carry_the_time_and_the_log_file_has_the_sql(tmp_path, capsys):
    root = _project(tmp_path)
    out = run_cli(capsys, "run", "--project-dir", root).out
    lines = out.splitlines()
    start_a = next(
        i for i, line in enumerate(lines) if re.match(r"^\d\d:\d\d:\d\d +1/2 START p\.a \[table\]$", line)
    )
    ok_a = next(i for i, line in enumerate(lines) if re.match(r"^\d\d:\d\d:\d\d +1/2 OK +a +\[table", line))
    assert start_a < ok_a
    log = (root / "target/odibi.log").read_text()
    assert "odibi-sql run --project-dir" in log
    assert re.search(r"\d\d:\d\d:\d\d +2/2 OK +b", log)
    assert 'CREATE OR REPLACE TABLE "p"."b" AS SELECT' in log  # the SQL each node ran
    assert "Done in" in log


def test_json_log_format_anywhere_on_the_line(tmp_path, capsys):
    root = _project(tmp_path)
    out = run_cli(capsys, "run", "--project-dir", root, "--log-format", "json").out
    events = [json.loads(line) for line in out.splitlines() if line.strip()]
    kinds = [e["event"] for e in events]
    assert kinds.count("node_started") == 2 and kinds.count("node_finished") == 2 and kinds[-1] == "summary"
    finished = {e["node"]: e for e in events if e["event"] == "node_finished"}
    assert finished["b"]["status"] == "success" and finished["b"]["rows_affected"] == 1
    assert events[-1]["nodes"] == {"success": 2, "error": 0, "skipped": 0}
    assert all(re.match(r"^\d{4}-\d\d-\d\dT", e["ts"]) for e in events)


def test_failures_are_recapped_at_the_end(tmp_path, capsys):
    bad = (
        GOOD
        + """
  - name: broken
    sql: "select cast('x' as integer) as id from {{ ref('a') }}"
  - name: after
    sql: "select * from {{ ref('broken') }}"
"""
    )
    root = _project(tmp_path, bad)
    out = run_cli(capsys, "run", "--project-dir", root, "--debug", expect=1).out
    tail = out[out.index("Completed with 1 failure:") :]
    assert "ERROR broken: " in tail and "Conversion Error" in tail
    assert "PASS=2 ERROR=1 SKIP=1 TOTAL=4" in tail  # the recap comes right before the summary


def test_dry_run_prints_every_statement_whole(tmp_path, capsys):
    columns = ", ".join(f"{i} as a_rather_long_column_name_number_{i}" for i in range(30))
    root = _project(tmp_path, f'pipeline: p\nnodes:\n  - name: wide\n    sql: "select {columns}"\n')
    out = run_cli(capsys, "run", "--project-dir", root, "--dry-run").out
    assert "a_rather_long_column_name_number_29" in out
    assert max(len(line) for line in out.splitlines()) > 500  # one line, not cut at the terminal width


def test_done_in_counts_from_the_process_start(tmp_path):
    root = _project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "odibi_sql", "run", "--project-dir", str(root)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    wall = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    reported = float(re.search(r"Done in ([\d.]+)s", result.stdout).group(1))
    assert wall * 0.5 <= reported <= wall + 0.05  # start-up and compiling included (clock ticks: 10 ms)


def test_fail_fast_starts_no_node_after_a_failure(tmp_path, capsys):
    pipeline = """
pipeline: p
nodes:
  - name: a_bad
    sql: "select cast('x' as integer) as id"
  - name: b_ok
    sql: "select 1 as id"
  - name: c_ok
    sql: "select 2 as id"
"""
    root = _project(tmp_path, pipeline)
    out = run_cli(capsys, "run", "--project-dir", root, "--fail-fast", expect=1).out
    assert "PASS=0 ERROR=1 SKIP=2 TOTAL=3" in out
    held_back = re.findall(r"SKIP +[bc]_ok", out)  # a line per node held back, as for a failed upstream
    assert len(held_back) == 2
    skipped = [
        r
        for r in json.loads((root / "target/run_results.json").read_text())["results"]
        if r["node"] != "a_bad"
    ]
    assert {r["message"] or r["reason"] for r in skipped} == {
        "not run: the run was stopped by --fail-fast (after a_bad failed)"
    }
    out = run_cli(capsys, "run", "--project-dir", root, expect=1).out
    assert "PASS=2 ERROR=1 SKIP=0 TOTAL=3" in out
