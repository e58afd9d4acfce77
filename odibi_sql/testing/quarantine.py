"""Quarantine: move the rows failing a ``quarantine: true`` test out of the node's table.

The rows are copied into ``<schema>.<table>__quarantine`` (the table's columns plus
``quarantine_test`` and ``quarantined_at``), then deleted from the table, by the same predicate
the test uses. It runs inside the node's transaction, right after the node's statements.
"""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.adapters.base import Session
from odibi_sql.compile.relations import relation_table
from odibi_sql.plan import statements as sql
from odibi_sql.testing.compile import DataTest

SUFFIX = "__quarantine"
TEST_COLUMN = "quarantine_test"
TIME_COLUMN = "quarantined_at"


def quarantine_table(schema: str, table: str) -> exp.Table:
    return relation_table(schema, table + SUFFIX)


def quarantine_rows(test: DataTest, session: Session) -> int:
    """Move the rows failing ``test``; returns how many were moved."""
    schema, table = test.relation.db, test.relation.name
    target = session.state(schema, table)
    if not session.query(test.count_failures())[0][0]:
        return 0
    jail = quarantine_table(schema, table)
    existing = session.state(schema, jail.name)
    if not existing.exists:
        session.execute(sql.create_table_as(jail, _rows(test, list(target.columns)).limit(0), replace=False))
    else:
        for column, type_sql in target.columns.items():
            if column not in existing.columns:
                session.execute(sql.add_column(jail, column, type_sql, "duckdb"))
    columns = [*target.columns, TEST_COLUMN, TIME_COLUMN]
    moved = session.execute(sql.insert(jail, columns, _rows(test, list(target.columns))))
    session.execute(sql.delete(test.relation, test.predicate.copy()))
    return int(moved or 0)


def _rows(test: DataTest, columns: list[str]) -> exp.Select:
    stamp = exp.cast(exp.CurrentTimestamp(), "TIMESTAMP")
    return (
        exp.select(
            *(sql.col(c) for c in columns),
            exp.alias_(exp.Literal.string(test.name), TEST_COLUMN, quoted=True),
            exp.alias_(stamp, TIME_COLUMN, quoted=True),
        )
        .from_(test.relation.copy())
        .where(test.predicate.copy())
    )
