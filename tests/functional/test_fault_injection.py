"""Fault injection: a multi-day incremental project using every write mode, run as a real process,
is stopped by SIGKILL or SIGINT at a random point of a random day, recovered (``run --resume`` or a
plain re-run), and every table is compared with an uninterrupted run of the same days.

``ODIBI_FAULT_TRIALS`` sets the number of trials (default 4; ``ODIBI_FAULT_TRIALS=50 pytest -m slow
-s -k fault_injection`` for the full figures), ``ODIBI_FAULT_SEED`` the random seed. A run stopped
before its first node (while compiling) has nothing of its own to resume, so those stops are
recovered by a plain run; stops after the k-th node line use either.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.functional.helpers import write_csv, write_project

TRIALS = int(os.environ.get("ODIBI_FAULT_TRIALS", "4"))
SEED = int(os.environ.get("ODIBI_FAULT_SEED", "20261206"))
DAYS = 3
HEADER = "id,customer,amount,day,ts,version"

PIPELINE = """
pipeline: f
nodes:
  - name: events
    read: {connection: landing, format: csv, path: "events/*.csv"}
  - name: today
    read: {connection: landing, format: csv, path: "today/*.csv"}
  - name: clean
    sql: |
      select id, customer, amount, cast(day as date) as day, cast(ts as timestamp) as ts, version
      from {{ ref('events') }}
  - name: latest
    sql: |
      select * from {{ ref('clean') }}
      qualify row_number() over (partition by id order by version desc) = 1
  - name: big
    materialized: view
    sql: "select id, amount from {{ ref('latest') }} where amount > 50"
  - name: landed
    materialized: incremental
    write: {mode: append}
    sql: "select id, customer, amount, version from {{ ref('today') }}"
  - name: history
    materialized: incremental
    write: {mode: append, hwm_column: ts}
    sql: "select id, ts, amount, version from {{ ref('clean') }}"
  - name: customers
    materialized: incremental
    write: {mode: merge, unique_key: [id]}
    sql: "select id, customer, amount, version from {{ ref('latest') }}"
  - name: first_seen
    materialized: incremental
    write: {mode: merge, strategy: append_only, unique_key: [id]}
    sql: "select id, amount as first_amount from {{ ref('latest') }}"
  - name: recent
    materialized: incremental
    write: {mode: merge, unique_key: [id], hwm_column: ts}
    sql: "select id, ts, amount from {{ ref('latest') }}"
  - name: orders
    materialized: incremental
    write: {mode: delete_insert, unique_key: [id]}
    sql: "select id, amount, version from {{ ref('latest') }}"
  - name: daily
    materialized: incremental
    write: {mode: insert_overwrite, partition_by: [day]}
    sql: "select day, count(*) as n, sum(amount) as total from {{ ref('clean') }} group by day"
  - name: totals
    sql: "select count(*) as customers, sum(amount) as amount from {{ ref('customers') }}"
"""
TABLES = (
    "clean",
    "latest",
    "big",
    "landed",
    "history",
    "customers",
    "first_seen",
    "recent",
    "orders",
    "daily",
    "totals",
)
NODES = 2 + len(TABLES)


def _day_rows(day: int) -> list[str]:
    """New ids, and new versions of some of the previous day's ids."""
    start = datetime(2024, 1, 1) + timedelta(days=day - 1)
    rows = [
        f"{day * 100 + i},c{i % 4},{(day * 37 + i * 11) % 90},{start.date()},{start + timedelta(minutes=i)},1"
        for i in range(15)
    ]
    if day > 1:
        rows += [
            f"{(day - 1) * 100 + i},c{i % 4},{(day * 13 + i * 7) % 90},{start.date()},"
            f"{start + timedelta(minutes=30 + i)},{day}"
            for i in range(5)
        ]
    return rows


def _project(root: Path) -> Path:
    write_project(
        root,
        {
            "odibi_project.yaml": """
                name: faults
                targets:
                  dev: {dialect: duckdb, path: target/warehouse.duckdb, threads: 2}
                connections:
                  landing: {type: files, path: data}
            """,
            "pipelines/f.yaml": PIPELINE,
        },
    )
    return root


def _land(root: Path, day: int) -> None:
    """Day ``day``'s files: one more events file; ``today/`` holds only the day's rows."""
    write_csv(root / f"data/events/day_{day}.csv", HEADER, _day_rows(day))
    write_csv(root / "data/today/today.csv", HEADER, _day_rows(day))


def _cli(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "odibi_sql", "run", "--project-dir", str(root), *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def _run(root: Path, *args: str) -> str:
    proc = subprocess.run(_cli(root, *args), capture_output=True, text=True, env=_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def _tables(root: Path) -> dict[str, Counter]:
    con = duckdb.connect(str(root / "target/warehouse.duckdb"), read_only=True)
    try:
        return {t: Counter(con.execute(f"select * from f.{t}").fetchall()) for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, list[dict[str, Counter]]]:
    """An uninterrupted run per day; the warehouse after each day is kept (``day_<n>``) to start from."""
    root = _project(tmp_path_factory.mktemp("reference") / "p")
    tables = []
    for day in range(1, DAYS + 1):
        _land(root, day)
        _run(root)
        tables.append(_tables(root))
        shutil.copytree(root / "target", root.parent / f"day_{day}")
    return root, tables


@dataclass
class Trial:
    day: int
    signum: signal.Signals
    after_lines: int
    delay: float
    recovery: str
    stopped: bool = False


def _interrupted_run(root: Path, trial: Trial) -> None:
    """Run, and send the trial's signal once ``after_lines`` node lines were printed (plus a delay)."""
    with subprocess.Popen(
        _cli(root), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env()
    ) as proc:
        assert proc.stdout is not None
        if trial.after_lines == 0:
            time.sleep(trial.delay)
            proc.send_signal(trial.signum)
        else:
            seen = 0
            for line in proc.stdout:
                seen += line.lstrip()[:1].isdigit()
                if seen == trial.after_lines:
                    time.sleep(trial.delay)
                    proc.send_signal(trial.signum)
                    break
        output = proc.stdout.read()
        code = proc.wait(timeout=120)
    trial.stopped = code != 0
    assert code in (0, -signal.SIGKILL, 130, -signal.SIGINT), f"exit {code} for {trial}:\n{output}"


def _compare(got: dict[str, Counter], want: dict[str, Counter]) -> tuple[list[str], int]:
    """(tables that differ, rows present more often than in the uninterrupted run)."""
    mismatched = [t for t in TABLES if got[t] != want[t]]
    duplicates = sum(sum((got[t] - want[t]).values()) for t in TABLES if got[t] - want[t])
    return mismatched, duplicates


@pytest.mark.slow
def test_fault_injection_every_write_mode_equals_an_uninterrupted_run(tmp_path, reference):
    ref_root, ref_tables = reference
    rng = random.Random(SEED)
    failures, duplicates, stopped, kinds = [], 0, 0, Counter()
    for n in range(TRIALS):
        after_lines = rng.randint(0, NODES - 1)
        trial = Trial(
            day=rng.randint(1, DAYS),
            signum=rng.choice([signal.SIGKILL, signal.SIGINT]),
            after_lines=after_lines,
            delay=rng.uniform(0, 1.5) if after_lines == 0 else rng.uniform(0, 0.05),
            recovery="rerun" if after_lines == 0 else rng.choice(["resume", "rerun"]),
        )
        root = _project(tmp_path / f"trial_{n}")
        for day in range(1, trial.day):
            _land(root, day)
        if trial.day > 1:
            shutil.copytree(ref_root.parent / f"day_{trial.day - 1}", root / "target")
        _land(root, trial.day)
        _interrupted_run(root, trial)
        stopped += trial.stopped
        kinds[f"{trial.signum.name}+{trial.recovery}"] += 1
        _run(root, *(["--resume"] if trial.recovery == "resume" else []))
        checks = [(trial.day, _tables(root))]
        if trial.day < DAYS:  # the next day's incremental run starts from the recovered tables
            _land(root, trial.day + 1)
            _run(root)
            checks.append((trial.day + 1, _tables(root)))
        for day, got in checks:
            mismatched, extra = _compare(got, ref_tables[day - 1])
            duplicates += extra
            if mismatched:
                failures.append(f"trial {n} {trial} day {day}: {mismatched}")
    print(
        f"\nfault injection: trials={TRIALS} stopped={stopped} mismatches={len(failures)} "
        f"duplicates={duplicates} seed={SEED} {dict(sorted(kinds.items()))}"
    )
    assert not failures and duplicates == 0, "\n".join(failures)
