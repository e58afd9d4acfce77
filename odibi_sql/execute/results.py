"""Run results: one record per node, written to ``target/run_results.json`` and appended to the history."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from odibi_sql import __version__
from odibi_sql.testing.results import DataTestResult

SCHEMA_VERSION = "odibi-sql/run-results/v1"


class Status(StrEnum):
    SUCCESS = "success"
    ERROR = "error"
    SKIPPED = "skipped"


class NodeResult(BaseModel):
    node: str
    status: Status
    materialized: str
    reason: str | None = None
    rows_affected: int | None = None
    rows_after: int | None = None
    rows_rejected: int | None = None
    """Rows that failed to parse, kept in ``<table>__rejected`` (seeds, ``on_error: dead_letter``)."""
    rows_quarantined: int | None = None
    """Rows that failed a ``quarantine: true`` test, moved to ``<table>__quarantine``."""
    seconds: float = 0.0
    started_at: str | None = None
    statements: list[str] = Field(default_factory=list)
    message: str | None = None
    warnings: list[str] = Field(default_factory=list)
    watermark_before: Any = None
    watermark_after: Any = None
    compiled_checksum: str | None = None
    attempts: int = 1
    tests: list[DataTestResult] = Field(default_factory=list, exclude=True)
    """Tests run right after the node was built (``build``); stored in ``RunResults.tests``."""


class RunResults(BaseModel):
    schema_version: str = SCHEMA_VERSION
    odibi_sql_version: str = __version__
    command: str
    started_at: str
    finished_at: str
    target: str
    selected: list[str]
    results: list[NodeResult]
    tests: list[DataTestResult] = Field(default_factory=list)
    """Data tests of ``build``, or of the last ``test`` (which keeps the node results as they were)."""
    tests_finished_at: str | None = None
    stopped_by: str | None = None
    """``SIGINT`` or ``SIGTERM`` when a signal stopped the run (the nodes not reached are skipped)."""
    run_id: str | None = None
    """The id stamped on the rows this run quarantined (``quarantine_run_id``)."""

    @property
    def failed(self) -> bool:
        return any(r.status is Status.ERROR for r in self.results) or any(t.fails_the_run for t in self.tests)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def write_run_results(results: RunResults, target_dir: Path, history: bool = True) -> Path:
    """Write ``run_results.json`` (atomically); ``history`` appends its successes to the run history."""
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / "run_results.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(results.model_dump_json(indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    if not history:
        return path
    with (target_dir / "run_history.jsonl").open("a", encoding="utf-8") as history:
        for result in results.results:
            if result.status is Status.SUCCESS:
                record = {
                    "run_started_at": results.started_at,
                    **result.model_dump(mode="json", exclude={"statements"}),
                }
                history.write(json.dumps(record, default=str) + "\n")
    return path


def read_run_results(target_dir: Path) -> RunResults | None:
    path = target_dir / "run_results.json"
    if not path.is_file():
        return None
    return RunResults.model_validate_json(path.read_text(encoding="utf-8"))


def last_successes(target_dir: Path) -> dict[str, dict[str, Any]]:
    """The most recent successful record of each node from the run history (for drift)."""
    path = target_dir / "run_history.jsonl"
    last: dict[str, dict[str, Any]] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            last[record["node"]] = record
    return last


LATEST_FILE = "latest_results.json"


class LatestResults(BaseModel):
    """Each node's and each test's latest result on one target, whatever command produced it
    (``target/latest_results.json``): what the report shows."""

    target: str
    nodes: dict[str, NodeResult] = Field(default_factory=dict)
    run_started_at: dict[str, str] = Field(default_factory=dict)
    """When the run that produced each node's result started."""
    tests: dict[str, DataTestResult] = Field(default_factory=dict)


def update_latest(
    target_dir: Path, target: str, run_started_at: str, nodes: list[NodeResult], tests: list[DataTestResult]
) -> None:
    """Fold a command's results into ``latest_results.json`` (results of another target start it afresh)."""
    latest = read_latest(target_dir, target) or LatestResults(target=target)
    for result in nodes:
        latest.nodes[result.node] = result
        latest.run_started_at[result.node] = run_started_at
    latest.tests.update({t.name: t for t in tests})
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / LATEST_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(latest.model_dump_json(indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_latest(target_dir: Path, target: str) -> LatestResults | None:
    """The latest results on ``target``; None when there are none (or they are of another target)."""
    path = target_dir / LATEST_FILE
    if not path.is_file():
        return None
    try:
        latest = LatestResults.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return latest if latest.target == target else None
