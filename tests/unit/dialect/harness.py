"""Shared helpers of the dialect tests: parse DuckDB SQL, annotate column types, run, compare rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from odibi_sql.dialect import capabilities


@dataclass(frozen=True)
class Case:
    """One DuckDB query, its expected rows, and the exact Spark SQL it must lower to.

    ``types`` annotates columns by name, as the compiler does from upstream schemas.
    """

    unit: str
    name: str
    duckdb: str
    spark: str
    rows: list[tuple[Any, ...]]
    types: Mapping[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.unit}_{self.name}"


def parse(sql: str, types: Mapping[str, str] | None = None) -> exp.Expression:
    """The canonical AST of ``sql`` (DuckDB), with ``types`` set on the columns they name."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    for column in tree.find_all(exp.Column):
        if types and column.name in types:
            column.type = exp.DataType.build(types[column.name], dialect="duckdb")
    return tree


def normalize(value: Any) -> Any:
    """Comparable values: aware datetimes as naive UTC, tuples/lists recursively."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, (list, tuple)):
        return (
            type(value)(normalize(v) for v in value)
            if isinstance(value, list)
            else tuple(normalize(v) for v in value)
        )
    return value


def run_duckdb(sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` on a fresh in-memory DuckDB with the dialect's session settings."""
    con = duckdb.connect()
    try:
        con.execute("LOAD icu")
        for name, value in capabilities("duckdb").session_settings.items():
            con.execute(f"SET {name} = '{value}'")
        return [normalize(tuple(row)) for row in con.execute(sql).fetchall()]
    finally:
        con.close()
