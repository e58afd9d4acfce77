"""A run stopped by SIGKILL, SIGINT or SIGTERM (real processes): what completed is journaled as the
run goes, a signal rolls back the running node and says so, and ``--resume`` runs exactly the
nodes that did not complete, leaving the tables an uninterrupted run leaves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.functional.helpers import query, write_csv, write_project

FAST = [f"n{i}" for i in range(6)]


def _project(root: Path) -> Path:
    """``n0..n5`` (a chain, each quick), then ``slow`` (long unless ``--vars '{n: 10}'``) and ``after``."""
    nodes = ["  - name: src\n    read: {connection: landing, format: csv, path: events.csv}\n"]
    for i, name in enumerate(FAST):
        upstream = "src" if i == 0 else FAST[i - 1]
        if i % 2:
            nodes.append(
                f"  - name: {name}\n    materialized: incremental\n    write: {{mode: append}}\n"
                f"    sql: \"select id, v + {i} as v from {{{{ ref('{upstream}') }}}}\"\n"
            )
        else:
            nodes.append(
                f"  - name: {name}\n    sql: \"select id, v * 2 as v from {{{{ ref('{upstream}') }}}}\"\n"
            )
    nodes.append(
        "  - name: slow\n"
        "    sql: \"select count(*) as c from range({{ var('n', 100000000000) }}) where range % 7 = 3\n"
        "      and exists (select 1 from {{ ref('n5') }})\"\n"
        "  - name: after\n    sql: \"select c from {{ ref('slow') }}\"\n"
    )
    write_project(
        root,
        {
            "odibi_project.yaml": """
                name: stop
                targets:
                  dev: {dialect: duckdb, path: target/warehouse.duckdb, threads: 1}
                connections:
                  landing: {type: files, path: data}
            """,
            "pipelines/p.yaml": "pipeline: p\nnodes:\n" + "".join(nodes),
        },
    )
    write_csv(root / "data/events.csv", "id,v", [f"{i},{i % 10}" for i in range(50)])
    return root


def _cli(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "odibi_sql", "run", "--project-dir", str(root), *args]


def _stop_after(root: Path, ok_lines: int, signum: int, delay: float = 0.0) -> tuple[int, str, list[str]]:
    """Run, send ``signum`` once ``ok_lines`` nodes printed OK; (exit code, output, nodes printed OK)."""
    with subprocess.Popen(
        _cli(root), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env()
    ) as proc:
        assert proc.stdout is not None
        lines, ok = [], []
        for line in proc.stdout:
            lines.append(line)
            if " OK " in line:
                ok.append(_ok_node(line))
            if len(ok) == ok_lines:
                time.sleep(delay)
                proc.send_signal(signum)
                break
        lines += proc.stdout.readlines()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    return proc.returncode, "".join(lines), ok


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def _resume(root: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        _cli(root, "--resume", "--vars", "{n: 10}"), capture_output=True, text=True, env=_env()
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def _ran(output: str) -> set[str]:
    return {_ok_node(line) for line in output.splitlines() if " OK " in line}


def _tables(root: Path) -> dict[str, list[tuple]]:
    tables = {n: query(root, f"select * from p.{n} order by all") for n in FAST}
    tables["after"] = query(root, "select * from p.after")
    return tables


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, list[tuple]]:
    root = _project(tmp_path_factory.mktemp("reference"))
    proc = subprocess.run(_cli(root, "--vars", "{n: 10}"), capture_output=True, text=True, env=_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return _tables(root)


def test_resume_after_sigkill_runs_exactly_the_nodes_that_did_not_complete(tmp_path, reference):
    root = _project(tmp_path)
    code, _, ok = _stop_after(root, 3, signal.SIGKILL)
    assert code == -signal.SIGKILL
    journal = [json.loads(line) for line in (root / "target/run_journal.jsonl").read_text().splitlines()]
    done = {r["node"] for r in journal[1:] if r["status"] == "success"}
    assert set(ok) <= done  # every node reported OK was journaled before it was reported
    resumed = _resume(root)
    assert _ran(resumed.stdout) == {"src", *FAST, "slow", "after"} - done
    assert _tables(root) == reference
    # a plain re-run (the same files) changes nothing either: appends are not duplicated
    again = subprocess.run(_cli(root, "--vars", "{n: 10}"), capture_output=True, text=True, env=_env())
    assert again.returncode == 0, again.stdout + again.stderr
    assert _tables(root) == reference


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_rolls_back_the_running_node_and_resume_finishes_the_run(tmp_path, reference, signum, code):
    root = _project(tmp_path)
    start = time.perf_counter()
    exit_code, output, ok = _stop_after(root, 1 + len(FAST), signum, delay=0.5)  # src, n0..n5: slow runs
    assert exit_code == code, output
    assert time.perf_counter() - start < 30  # slow was cancelled, not waited for
    name = signal.Signals(signum).name
    assert f"Stopped by {name}: 7 of 9 nodes completed" in output
    assert "Run again with --resume" in output
    assert "Traceback" not in output
    results = json.loads((root / "target/run_results.json").read_text())
    assert results["stopped_by"] == name
    status = {r["node"]: (r["status"], r["message"]) for r in results["results"]}
    assert status["slow"][0] == "error" and "the target p.slow was left as it was" in status["slow"][1]
    assert status["after"] == ("skipped", f"not run: the run was stopped by {name}")
    assert query(root, "select count(*) from information_schema.tables where table_name = 'slow'") == [(0,)]
    resumed = _resume(root)
    assert _ran(resumed.stdout) == {"slow", "after"}
    assert _tables(root) == reference


def _ok_node(line: str) -> str:
    """The node of a result line (``12:00:01    1/3 OK    name    [...]``)."""
    words = line.split()
    return words[words.index("OK") + 1]
