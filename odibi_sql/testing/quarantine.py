"""Quarantine tests of a node as the planner takes them, and how many rows each one set aside.

The planner stages the node's new rows and writes those failing a ``quarantine: true`` test to
``<schema>.<table>__quarantine`` instead of the node's table (``plan/quarantine.py``), by the same
predicate the test uses; every row carries the run's id, which is how a run counts its own rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from odibi_sql.adapters.base import Session
from odibi_sql.plan import statements as sql
from odibi_sql.plan.quarantine import RUN_COLUMN, TEST_COLUMN, Quarantine, quarantine_table
from odibi_sql.testing.compile import DataTest


def quarantine_of(tests: Sequence[DataTest], run_id: str) -> Quarantine | None:
    """The node's quarantine tests for the planner (None when it has none)."""
    checks = tuple((t.name, t.predicate) for t in tests if t.quarantine)
    return Quarantine(checks, run_id) if checks else None


def quarantined_counts(tests: Sequence[DataTest], session: Session, run_id: str) -> dict[str, int]:
    """``{test name: rows it set aside in this run}`` for each quarantine test of one node."""
    names = [t.name for t in tests if t.quarantine]
    if not names:
        return {}
    table = quarantine_table(tests[0].relation.db, tests[0].relation.name)
    if not session.state(table.db, table.name).exists:  # a run that stopped early (batch already loaded)
        return dict.fromkeys(names, 0)
    query = (
        exp.select(sql.col(TEST_COLUMN), exp.Count(this=exp.Star()))
        .from_(table)
        .where(exp.EQ(this=sql.col(RUN_COLUMN), expression=exp.Literal.string(run_id)))
        .group_by(sql.col(TEST_COLUMN))
    )
    counts = {name: int(count) for name, count in session.query(query)}
    return {name: counts.get(name, 0) for name in names}
