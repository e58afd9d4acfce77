"""Run the same project or query on DuckDB and on Spark and read back comparable rows.

Rows are compared as multisets after normalizing types: aware datetimes become naive UTC, Spark
TIMESTAMP (an instant, returned in local time) becomes naive UTC, Spark Rows become dicts, floats
are rounded to 9 significant digits (sums may add in another order), ints/decimals compare equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from odibi_sql.dialect import capabilities, to_sql
from tests.functional.helpers import run_cli, write_project

ENGINES = ("duckdb", "spark")

TARGETS = """
targets:
  duckdb: {dialect: duckdb, path: target/warehouse.duckdb}
  spark: {dialect: spark, master: "local[2]", table_format: parquet}
"""


def normalize(value: Any) -> Any:
    from pyspark.sql import Row

    if isinstance(value, Row):
        return {k: normalize(v) for k, v in value.asDict().items()}
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(normalize(v) for v in value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, Decimal):
        return float(f"{value:.9g}")
    return value


def _key(row: tuple) -> str:
    return repr(tuple((v is None, repr(v)) for v in row))


def normalized(rows: Iterable[Sequence[Any]]) -> list[tuple]:
    """The rows as a sorted list of normalized tuples (a multiset)."""
    return sorted((tuple(normalize(v) for v in row) for row in rows), key=_key)


def spark_rows(spark, sql: str) -> tuple[list[str], list[tuple]]:
    """Columns and rows of ``sql``; TIMESTAMP (instant) values made naive UTC."""
    from pyspark.sql.types import TimestampType

    frame = spark.sql(sql)
    instants = [isinstance(f.dataType, TimestampType) for f in frame.schema.fields]
    rows = [
        tuple(
            v.astimezone(dt.UTC).replace(tzinfo=None) if instant and v is not None else v
            for v, instant in zip(row, instants, strict=True)
        )
        for row in frame.collect()
    ]
    return frame.columns, rows


def duckdb_rows(sql: str, database: str = ":memory:") -> tuple[list[str], list[tuple]]:
    con = duckdb.connect(database, read_only=database != ":memory:")
    try:
        for name, value in capabilities("duckdb").session_settings.items():
            con.execute(f"SET {name} = '{value}'")
        cursor = con.execute(sql)
        return [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        con.close()


def select_all(schema: str, table: str, dialect: str) -> str:
    return to_sql(exp.select(exp.Star()).from_(exp.table_(table, db=schema, quoted=True)), dialect)


class Pair:
    """One project written twice, built with ``--target duckdb`` and ``--target spark``."""

    def __init__(self, tmp_path: Path, files: dict[str, str], spark):
        self.spark = spark
        self.roots = {e: write_project(tmp_path / e, files) for e in ENGINES}

    def each(self, change: Callable[[Path], None]) -> None:
        """Apply the same change (a new batch of files, an edit) to both projects."""
        for root in self.roots.values():
            change(root)

    def run(self, capsys, *args: str, expect: int = 0) -> dict[str, str]:
        return {
            e: run_cli(capsys, "run", "--project-dir", root, "--target", e, *args, expect=expect).text
            for e, root in self.roots.items()
        }

    def table(self, engine: str, schema: str, table: str) -> tuple[list[str], list[tuple]]:
        if engine == "duckdb":
            database = str(self.roots["duckdb"] / "target/warehouse.duckdb")
            return duckdb_rows(select_all(schema, table, "duckdb"), database)
        return spark_rows(self.spark, select_all(schema, table, "spark"))

    def assert_same(self, relation: str, drop: Sequence[str] = ()) -> list[tuple]:
        """The relation holds the same columns and rows on both engines (``drop``: columns left out,
        e.g. load times); columns are matched by name (Spark puts partition columns last); returns
        the rows with columns sorted by name."""
        schema, table = relation.split(".")
        results = {}
        for engine in ENGINES:
            columns, rows = self.table(engine, schema, table)
            keep = sorted((i for i, c in enumerate(columns) if c not in drop), key=lambda i: columns[i])
            results[engine] = ([columns[i] for i in keep], normalized([row[i] for i in keep] for row in rows))
        if results["spark"] != results["duckdb"]:
            raise AssertionError(
                f"{relation} differs\n  duckdb: {results['duckdb']}\n  spark:  {results['spark']}"
            )
        return results["duckdb"][1]
