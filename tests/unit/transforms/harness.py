"""Run one transform on a real DuckDB: upstream rows in a CTE, the transform's query on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext


def upstream_cte(columns: Mapping[str, str], rows: Sequence[Sequence[Any]]) -> exp.Select:
    """A query producing ``rows`` with typed ``columns``; zero rows gives an empty typed relation."""
    names = list(columns)
    if rows:
        values = exp.values([tuple(exp.convert(v) for v in row) for row in rows], alias="t", columns=names)
        source: exp.Expression = values
    else:
        source = exp.select(*(exp.null().as_(n, quoted=True) for n in names)).subquery("t")
    select = exp.select(
        *(
            exp.cast(exp.column(n, table="t", quoted=True), columns[n], dialect="duckdb").as_(n, quoted=True)
            for n in names
        )
    ).from_(source)
    return select.where(exp.false()) if not rows else select


def compile_transform(
    transform: Transform, columns: Mapping[str, str], rows: Sequence[Sequence[Any]], **ctx_kwargs
) -> exp.Select:
    ctx = TransformContext(relation="src", columns=dict(columns), step="step", **ctx_kwargs)
    query = transform.apply(ctx)
    return query.with_("src", as_=upstream_cte(columns, rows))


def run_transform(
    transform: Transform, columns: Mapping[str, str], rows: Sequence[Sequence[Any]], **ctx_kwargs
) -> tuple[list[str], list[tuple]]:
    """Execute on an in-memory DuckDB; returns (column names, rows)."""
    sql = compile_transform(transform, columns, rows, **ctx_kwargs).sql(dialect="duckdb")
    con = duckdb.connect()
    try:
        cur = con.execute(sql)
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()
