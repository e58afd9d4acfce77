"""Cases as data for transforms that read more than one relation (join, union) or nested values.

A :class:`Case` names upstream rows (CTE ``src``), optional other relations reachable through
``ctx.ref(name)`` (each its own CTE), the transform's YAML params and the expected result. The same
case compiles for any dialect (:func:`compile_case`) so a Spark conformance run can reuse it unchanged;
:func:`run_case` executes it on an in-memory DuckDB.

Python values in rows become SQL literals: ``dict`` -> STRUCT, ``list`` -> list/array, everything
else through ``exp.convert``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb
from sqlglot import exp

from odibi_sql.diagnostics import did_you_mean
from odibi_sql.transforms.base import Transform, TransformContext, TransformError
from tests.unit.transforms.harness import upstream_cte

Rows = Sequence[Sequence[Any]]


@dataclass(frozen=True)
class Relation:
    columns: Mapping[str, str]
    rows: Rows = ()


@dataclass(frozen=True)
class Case:
    """One transform run: params + upstream rows -> expected columns and rows."""

    name: str
    params: Mapping[str, Any]
    columns: Mapping[str, str]
    rows: Rows
    expected_columns: Sequence[str]
    expected_rows: Rows
    others: Mapping[str, Relation] = field(default_factory=dict)
    ordered: bool = False
    """Compare rows in order (the transform sorts) instead of as a multiset."""


def literal(value: Any) -> exp.Expression:
    """A SQL literal for a Python value; dicts become structs and lists become lists."""
    if isinstance(value, exp.Expression):
        return value
    if isinstance(value, dict):
        return exp.Struct(
            expressions=[
                exp.PropertyEQ(this=exp.to_identifier(k, quoted=True), expression=literal(v))
                for k, v in value.items()
            ]
        )
    if isinstance(value, list | tuple):
        return exp.Array(expressions=[literal(v) for v in value])
    return exp.convert(value)


def _cte(columns: Mapping[str, str], rows: Rows) -> exp.Select:
    return upstream_cte(columns, [tuple(literal(v) for v in row) for row in rows])


def resolver(others: Mapping[str, Relation]):
    """A ``resolve_ref`` that reaches each other relation as its own quoted CTE."""

    def resolve(node: str) -> tuple[exp.Table, dict[str, str]]:
        if node not in others:
            raise TransformError(f'node "{node}" does not exist.{did_you_mean(node, others)}')
        return exp.table_(node, quoted=True), dict(others[node].columns)

    return resolve


def compile_query(
    transform: Transform,
    columns: Mapping[str, str],
    rows: Rows,
    others: Mapping[str, Relation] | None = None,
) -> exp.Select:
    """The transform's query with ``src`` and every other relation as CTEs."""
    others = others or {}
    ctx = TransformContext(relation="src", columns=dict(columns), step="step", resolve_ref=resolver(others))
    query = transform.apply(ctx)
    query = query.with_("src", as_=_cte(columns, rows))
    for name, rel in others.items():
        query = query.with_(exp.to_identifier(name, quoted=True), as_=_cte(rel.columns, rel.rows))
    return query


def compile_step(transform_cls: type[Transform], case: Case, dialect: str) -> str:
    """Only the step's own query (no CTEs): what golden-SQL tests compare."""
    transform = transform_cls.model_validate(case.params)
    ctx = TransformContext(
        relation="src", columns=dict(case.columns), step="step", resolve_ref=resolver(case.others)
    )
    return transform.apply(ctx).sql(dialect=dialect)


def compile_case(transform_cls: type[Transform], case: Case, dialect: str = "duckdb") -> str:
    transform = transform_cls.model_validate(case.params)
    return compile_query(transform, case.columns, case.rows, case.others).sql(dialect=dialect)


def execute_duckdb(sql: str) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect()
    try:
        cur = con.execute(sql)
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def run_query(
    transform: Transform,
    columns: Mapping[str, str],
    rows: Rows,
    others: Mapping[str, Relation] | None = None,
) -> tuple[list[str], list[tuple]]:
    return execute_duckdb(compile_query(transform, columns, rows, others).sql(dialect="duckdb"))


def run_case(transform_cls: type[Transform], case: Case) -> tuple[list[str], list[tuple]]:
    return execute_duckdb(compile_case(transform_cls, case, "duckdb"))


def _sort_key(value: Any) -> tuple:
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float | Decimal):
        return (2, float(value))
    if isinstance(value, datetime.date | datetime.datetime):
        return (3, value.isoformat())
    return (4, repr(value))


def normalize(rows: Rows, ordered: bool = False) -> list[tuple]:
    out = [tuple(row) for row in rows]
    return out if ordered else sorted(out, key=lambda r: tuple(_sort_key(v) for v in r))


def assert_case(transform_cls: type[Transform], case: Case) -> None:
    columns, rows = run_case(transform_cls, case)
    assert columns == list(case.expected_columns)
    assert normalize(rows, case.ordered) == normalize(case.expected_rows, case.ordered)
