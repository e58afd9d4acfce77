"""Killing the process mid-run (SIGKILL), then re-running, gives exactly the tables of an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.functional.helpers import query, write_project

NODES = 24


def _project(root: Path) -> Path:
    nodes = ["  - name: src\n    read: {connection: landing, format: csv, path: events.csv}\n"]
    for i in range(NODES):
        upstream = "src" if i < 4 else f"n{i - 4}"
        if i % 3 == 0:
            nodes.append(
                f"  - name: n{i}\n    materialized: incremental\n"
                f"    write: {{mode: append, hwm_column: ts}}\n"
                f"    sql: \"select id, ts, v * {i + 1} as v from {{{{ ref('{upstream}') }}}}\"\n"
            )
        else:
            nodes.append(
                f"  - name: n{i}\n"
                f"    sql: \"select id, ts, v + {i} as v from {{{{ ref('{upstream}') }}}} where id % 7 <> {i % 7}\"\n"
            )
    write_project(
        root,
        {
            "odibi_project.yaml": """
                name: kill
                targets:
                  dev: {dialect: duckdb, path: target/warehouse.duckdb, threads: 2}
                connections:
                  landing: {type: files, path: data}
            """,
            "pipelines/p.yaml": "pipeline: p\nnodes:\n" + "".join(nodes),
        },
    )
    (root / "data").mkdir()
    con = duckdb.connect()
    con.execute(
        "copy (select range as id, timestamp '2024-01-01' + to_seconds(range) as ts, range % 1000 as v "
        f"from range(300000)) to '{root / 'data/events.csv'}' (header)"
    )
    con.close()
    return root


def _run(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "odibi_sql", "run", "--project-dir", str(root)], capture_output=True, text=True
    )


def _snapshot(root: Path) -> dict[str, list[tuple]]:
    return {f"n{i}": query(root, f"select count(*), sum(v), max(ts) from p.n{i}") for i in range(NODES)}


def test_sigkill_mid_run_then_rerun_matches_an_uninterrupted_run(tmp_path):
    reference = _project(tmp_path / "ref")
    assert _run(reference).returncode == 0
    killed = _project(tmp_path / "killed")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        [sys.executable, "-m", "odibi_sql", "run", "--project-dir", str(killed)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        done = 0
        assert proc.stdout is not None
        for line in proc.stdout:
            done += " OK " in line
            if done >= 6:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    rerun = _run(killed)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert _snapshot(killed) == _snapshot(reference)
    # and a further run (nothing new upstream) changes nothing
    assert _run(killed).returncode == 0
    assert _snapshot(killed) == _snapshot(reference)
