"""What the report shows, in plain Python: one ``NodeReport`` per node, plus the run's summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from markupsafe import Markup


class NodeState(StrEnum):
    """How a node looks in the report: its last run status, or its tests when the run succeeded."""

    SUCCESS = "success"
    TESTS_FAILED = "tests-failed"
    ERROR = "error"
    SKIPPED = "skipped"
    NOT_RUN = "not-run"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    NodeState.SUCCESS: "passed",
    NodeState.TESTS_FAILED: "tests failed",
    NodeState.ERROR: "failed",
    NodeState.SKIPPED: "skipped",
    NodeState.NOT_RUN: "not run",
}


@dataclass(frozen=True)
class LineageInput:
    """An upstream column of a column (or of every row: joins, filters, group by)."""

    node: str | None
    """The project node holding it (None: a file or table outside the project)."""
    relation: str
    column: str
    transformations: str
    """OpenLineage subtypes, e.g. ``IDENTITY`` or ``AGGREGATION, GROUP_BY``."""
    direct: bool


@dataclass
class ColumnReport:
    name: str
    type: str | None
    description: str | None = None
    sensitive: bool = False
    null_percent: float | None = None
    """None when the relation is not built (or could not be read)."""
    inputs: list[LineageInput] = field(default_factory=list)
    only_in_table: bool = False
    """Added by the write (audit columns, SCD2 validity), not by the node's query."""


@dataclass
class TestReport:
    name: str
    kind: str
    column: str | None
    severity: str
    status: str
    """pass | fail | warn | error, or ``not-run`` when the last results do not include it."""
    failures: int | None = None
    sample: list[str] = field(default_factory=list)
    """Failing rows as stored in run_results.json (``sensitive`` values already masked)."""
    message: str | None = None
    sql: str | None = None


@dataclass
class RunReport:
    """A node's record in the last run."""

    status: str
    reason: str | None
    seconds: float
    started_at: str | None
    rows_affected: int | None
    rows_after: int | None
    rows_rejected: int | None
    rows_quarantined: int | None
    watermark_before: Any
    watermark_after: Any
    attempts: int
    message: str | None
    warnings: list[str]


@dataclass
class Drift:
    """The last run against the previous successful run of the same node."""

    previous_run: str | None
    """When the previous successful run started (None: the last run is the first one recorded)."""
    logic_changed: bool | None
    """The compiled SQL's checksum differs from the previous run's."""
    rows_before: int | None
    rows_after: int | None
    pending_logic_change: bool = False
    """The SQL compiled now differs from what the last run executed (not run yet)."""

    @property
    def rows_delta(self) -> int | None:
        if self.rows_before is None or self.rows_after is None:
            return None
        return self.rows_after - self.rows_before


@dataclass
class NodeReport:
    name: str
    pipeline: str
    resource_type: str
    description: str | None
    tags: list[str]
    materialized: str
    write_mode: str
    write_details: dict[str, str]
    relation: str
    file: str
    parents: list[str]
    children: list[str]
    sql: Markup
    incremental_sql: Markup | None
    columns: list[ColumnReport]
    row_inputs: list[LineageInput]
    lineage_issues: list[str]
    tests: list[TestReport]
    run: RunReport | None
    drift: Drift | None
    rows: int | None = None
    """Rows in the built relation now (None when not built)."""
    profile_note: str | None = None
    """Why there are no null percentages (not built, ephemeral, could not be read)."""

    @property
    def failed_tests(self) -> list[TestReport]:
        """Tests that failed or could not run, warnings included."""
        return [t for t in self.tests if t.status in ("fail", "error", "warn")]

    @property
    def state(self) -> NodeState:
        if self.run is None:
            return NodeState.NOT_RUN
        if self.run.status == "success":
            failed = any(t.status in ("fail", "error") and t.severity == "error" for t in self.tests)
            return NodeState.TESTS_FAILED if failed else NodeState.SUCCESS
        return NodeState.ERROR if self.run.status == "error" else NodeState.SKIPPED


@dataclass
class RunSummary:
    command: str
    started_at: str
    finished_at: str
    seconds: float
    tests_finished_at: str | None


@dataclass
class Report:
    project: str
    target: str
    dialect: str
    env: str | None
    generated_at: str
    run: RunSummary | None
    nodes: list[NodeReport]
    layers: list[list[str]]
    edges: list[tuple[str, str]]
    """``(parent, child)`` between the nodes shown."""

    def state_counts(self) -> dict[str, int]:
        """``{state: nodes in that state}`` for every ``NodeState``."""
        return {state.value: sum(n.state is state for n in self.nodes) for state in NodeState}

    def tests_with(self, status: str) -> int:
        return sum(t.status == status for n in self.nodes for t in n.tests)

    @property
    def nodes_with_failed_tests(self) -> int:
        """Nodes with a failing error-severity test, whatever their state (a node rolled back by
        its test is also counted as failed)."""
        return sum(
            any(t.status in ("fail", "error") and t.severity == "error" for t in n.tests) for n in self.nodes
        )

    @property
    def tests_total(self) -> int:
        return sum(len(n.tests) for n in self.nodes)
