"""``retry:`` on a target: transient engine errors are retried as configured, data errors never."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.functional.helpers import run_cli, write_project


def _project(tmp_path: Path, retry: str) -> Path:
    late = (tmp_path / "landing" / "late_*.csv").as_posix()  # files that have not arrived
    return write_project(
        tmp_path / "proj",
        {
            "odibi_project.yaml": f"""
                name: rt
                targets:
                  dev: {{dialect: duckdb, path: target/warehouse.duckdb, retry: {retry}}}
            """,
            "pipelines/p.yaml": f"""
                pipeline: p
                nodes:
                  - name: late
                    sql: "select count(*) as n from read_csv('{late}')"
                  - name: bad_cast
                    sql: "select cast('x' as integer) as id"
            """,
        },
    )


def _results(root: Path) -> dict[str, dict]:
    results = json.loads((root / "target/run_results.json").read_text(encoding="utf-8"))
    return {r["node"]: r for r in results["results"]}


def test_retry_runs_a_transient_failure_again_as_configured(tmp_path, capsys):
    root = _project(tmp_path, "{max_retries: 3, backoff_seconds: 0.05}")
    start = time.perf_counter()
    out = run_cli(capsys, "run", "--project-dir", root, expect=1).text
    elapsed = time.perf_counter() - start
    late = _results(root)["late"]
    assert late["status"] == "error" and late["attempts"] == 4
    assert "No files found" in late["message"]
    assert "tried 4 times (retry.max_retries of the target is 3)" in out
    assert elapsed >= 0.05 + 0.1 + 0.2  # the backoff doubles


def test_retry_never_runs_a_data_error_again(tmp_path, capsys):
    root = _project(tmp_path, "{max_retries: 3, backoff_seconds: 0.05}")
    out = run_cli(capsys, "run", "--project-dir", root, "--select", "bad_cast", expect=1).text
    bad = _results(root)["bad_cast"]
    assert bad["status"] == "error" and bad["attempts"] == 1
    assert "Could not convert string 'x'" in bad["message"]
    assert "tried" not in out


def test_retry_max_retries_0_turns_retries_off(tmp_path, capsys):
    root = _project(tmp_path, "{max_retries: 0}")
    out = run_cli(capsys, "run", "--project-dir", root, "--select", "late", expect=1).text
    assert _results(root)["late"]["attempts"] == 1
    assert "tried 1 times (retry.max_retries of the target is 0)" in out


def test_retry_default_is_two_retries(tmp_path, capsys):
    root = _project(tmp_path, "{backoff_seconds: 0}")
    run_cli(capsys, "run", "--project-dir", root, "--select", "late", expect=1)
    assert _results(root)["late"]["attempts"] == 3


def test_retry_bad_values_are_reported_with_file_and_line(tmp_path, capsys):
    root = _project(tmp_path, "{max_retries: -1, backof_seconds: 1}")
    out = run_cli(capsys, "run", "--project-dir", root, expect=2).text
    assert "odibi_project.yaml:3" in out
    assert "max_retries" in out and "greater than or equal to 0" in out
    assert 'Did you mean "backoff_seconds"' in out
    assert not (root / "target/run_results.json").exists()


@contextlib.contextmanager
def _locked(database: Path, seconds: float) -> Iterator[None]:
    """Another process holds the DuckDB file's lock for ``seconds`` (or until the block ends)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    script = f"import duckdb, time\ncon = duckdb.connect({str(database)!r})\nprint('locked', flush=True)\ntime.sleep({seconds})\n"
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        try:
            yield
        finally:
            if holder.poll() is None and seconds > 5:
                holder.kill()


def test_retry_waits_for_a_database_file_another_process_holds(tmp_path, capsys):
    root = _project(tmp_path, "{max_retries: 4, backoff_seconds: 0.25}")
    with _locked(root / "target/warehouse.duckdb", 1.0):
        run_cli(capsys, "run", "--project-dir", root, "--select", "bad_cast", expect=1)
    assert _results(root)["bad_cast"]["attempts"] == 1  # the node ran once the lock was released


def test_retry_a_database_file_locked_too_long_is_one_clear_error(tmp_path, capsys):
    root = _project(tmp_path, "{max_retries: 1, backoff_seconds: 0.1}")
    with _locked(root / "target/warehouse.duckdb", 30):
        out = run_cli(capsys, "run", "--project-dir", root, expect=1).text
    assert "cannot open target dev (duckdb)" in out and "Could not set lock on file" in out
    assert "tried 2 times, retry.max_retries of the target is 1" in out
    assert not (root / "target/run_results.json").exists()
