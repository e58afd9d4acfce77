"""cast_columns: change the type of columns, in place.

YAML::

    transform:
      - cast_columns:
          columns: {order_ts: timestamp, amount: "decimal(18,2)"}
          safe: false        # true: values that do not convert become NULL (TRY_CAST)

DuckDB: ``SELECT "id", CAST("order_ts" AS TIMESTAMP) AS "order_ts", CAST("amount" AS DECIMAL(18, 2)) AS "amount" FROM "prev"``
Spark:  ``SELECT `id`, CAST(`order_ts` AS TIMESTAMP) AS `order_ts`, CAST(`amount` AS DECIMAL(18, 2)) AS `amount` FROM `prev```

Dialects: all. Types are DuckDB type names (``varchar``, ``bigint``, ``decimal(18,2)``, ``timestamp``,
``int[]`` ...) and are translated (``varchar`` is ``STRING`` on Spark). With ``safe: false`` a value
that does not convert fails the query on DuckDB and on Spark in ANSI mode (the default since Spark
4); ``safe: true`` gives NULL on both. Casting a DECIMAL/DOUBLE to an integer rounds on DuckDB and
truncates on Spark unless the Spark lowering rewrites it; the accepted text formats of timestamps
differ slightly between engines.

This module also holds the type helpers other transforms share (``parse_type``, ``upstream_type``).
"""

from __future__ import annotations

import sqlglot
from pydantic import field_validator
from sqlglot import exp
from sqlglot.errors import ParseError

from odibi_sql.transforms.base import Transform, TransformContext, star_except

TEXT_TYPES = exp.DataType.TEXT_TYPES
DATE_TYPES = {exp.DType.DATE, exp.DType.DATE32}
TIMESTAMP_TYPES = exp.DataType.TEMPORAL_TYPES - DATE_TYPES - {exp.DType.TIME, exp.DType.TIMETZ}


class CastColumnsTransform(Transform):
    name = "cast_columns"
    columns: dict[str, str]
    """Column name -> target type (DuckDB type name)."""
    safe: bool = False
    """Values that do not convert become NULL (TRY_CAST) instead of failing the query."""

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("columns must name at least one column to cast")
        for column, type_name in value.items():
            parse_type(type_name, f'type of column "{column}"')
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        ctx.require(*self.columns)
        cast = exp.TryCast if self.safe else exp.Cast
        replaced: dict[str, exp.Expression] = {}
        for column, type_name in self.columns.items():
            node = cast(this=ctx.column(column), to=parse_type(type_name))
            if self.safe:
                node.set("safe", True)  # as sqlglot parses DuckDB's TRY_CAST: Spark renders TRY_CAST too
            replaced[column] = node
        return exp.select(*star_except(ctx, replaced)).from_(ctx.table())


def parse_type(text: str, what: str = "type") -> exp.DataType:
    """A DuckDB type name as a DataType node; the whole text must be one type (raises ValueError)."""
    try:
        return sqlglot.parse_one(text, read="duckdb", into=exp.DataType)
    except (ParseError, ValueError):
        raise ValueError(f"{what} {text!r} is not a SQL type (e.g. varchar, bigint, decimal(18,2))") from None


def upstream_type(ctx: TransformContext, column: str) -> exp.DataType | None:
    """The type of an upstream column, or None when it is unknown."""
    text = ctx.columns.get(column)
    if not text:
        return None
    try:
        return parse_type(text)
    except ValueError:
        return None


def is_text(dtype: exp.DataType | None) -> bool:
    return dtype is not None and dtype.is_type(*TEXT_TYPES)


def type_label(dtype: exp.DataType) -> str:
    return dtype.sql(dialect="duckdb")


TRANSFORM = CastColumnsTransform
