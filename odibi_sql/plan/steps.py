"""What a plan is made of: small steps holding ASTs, and the reason a node runs the way it does."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlglot import exp


class Reason(StrEnum):
    FIRST_RUN = "first_run"
    INCREMENTAL = "incremental"
    FULL_REFRESH = "full_refresh"
    REBUILD = "rebuild"
    SCHEMA_CHANGE = "schema_change"
    EPHEMERAL = "ephemeral"


@dataclass(frozen=True)
class ExecuteStep:
    """Run one statement; ``counts_rows`` marks the statement whose row count is the node's,
    ``counts_rejected`` the one whose row count is the rows kept in the dead-letter table."""

    description: str
    statement: exp.Expression
    counts_rows: bool = False
    counts_rejected: bool = False


@dataclass(frozen=True)
class CheckStep:
    """Run a query that must return no rows; otherwise the node fails with ``message`` (and a sample)."""

    description: str
    query: exp.Query
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class SkipIfStep:
    """Run a query returning one boolean; when true, stop the node here as a success (nothing to do)."""

    description: str
    query: exp.Query
    message: str


@dataclass(frozen=True)
class CountStep:
    """Run a query returning one number: the rows kept in the dead-letter table (where creating it
    reports no row count)."""

    description: str
    query: exp.Query


Step = ExecuteStep | CheckStep | SkipIfStep | CountStep


@dataclass(frozen=True)
class NodePlan:
    """Ordered steps for one node, run in one transaction when the dialect allows it."""

    node: str
    materialized: str
    reason: Reason
    steps: list[Step] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    watermark: exp.Query | None = None
    """``SELECT MAX(hwm_column) FROM target``, read before and after the run for run_results."""
    batch_record: exp.Expression | None = None
    """Statement recording the batch fingerprint after an append (idempotent re-runs)."""
