"""cast_columns: change the type of columns, in place.

YAML::

    transform:
      - cast_columns:
          columns: {order_ts: timestamp, amount: "decimal(18,2)"}
          safe: false        # true: values that do not convert become NULL (TRY_CAST)

Types are DuckDB type names (``varchar``, ``bigint``, ``decimal(18,2)``, ``date``, ``timestamp``,
``int[]`` ...), translated for the target (``varchar`` is ``STRING`` on Spark). Column order is
kept. With ``safe: false`` a value that does not convert fails the query; with ``safe: true`` it
becomes NULL.

DuckDB::

    SELECT "id", CAST("order_ts" AS TIMESTAMP) AS "order_ts", CAST("amount" AS DECIMAL(18, 2)) AS
    "amount" FROM "prev"

Spark::

    SELECT `id`, CAST(`order_ts` AS TIMESTAMP_NTZ) AS `order_ts`, CAST(`amount` AS DECIMAL(18, 2)) AS
    `amount` FROM `prev`

Dialects: all. DuckDB's ``timestamp`` has no time zone, so sqlglot renders it as Spark's
TIMESTAMP_NTZ (the Spark lowering step decides the final type name). A failing CAST fails the query
on Spark only in ANSI mode (the default since Spark 4). Casting a DECIMAL or DOUBLE to an integer
rounds on DuckDB and truncates on Spark unless the Spark lowering step rewrites it, and the text
formats each engine accepts for dates and timestamps differ at the edges.

This module also holds the type helpers the other transforms share.
"""

from __future__ import annotations

import sqlglot
from pydantic import Field, field_validator
from sqlglot import exp
from sqlglot.errors import ParseError

from odibi_sql.transforms.base import Transform, TransformContext, TransformError, star_except

TEXT_TYPES = frozenset(exp.DataType.TEXT_TYPES)
DATE_TYPES = frozenset({exp.DType.DATE, exp.DType.DATE32})
TIMESTAMP_TYPES = frozenset(exp.DataType.TEMPORAL_TYPES - DATE_TYPES - {exp.DType.TIME, exp.DType.TIMETZ})


class CastColumnsTransform(Transform):
    name = "cast_columns"

    columns: dict[str, str] = Field(description="Column name -> target type (a DuckDB type name).")
    safe: bool = Field(default=False, description="Values that do not convert become NULL (TRY_CAST).")

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
        replaced: dict[str, exp.Expression] = {}
        for column, type_name in self.columns.items():
            if self.safe:
                # safe=True is how sqlglot parses DuckDB's TRY_CAST; Spark then renders TRY_CAST too.
                replaced[column] = exp.TryCast(this=ctx.column(column), to=parse_type(type_name), safe=True)
            else:
                replaced[column] = exp.Cast(this=ctx.column(column), to=parse_type(type_name))
        return exp.select(*star_except(ctx, replaced)).from_(ctx.table())


def parse_type(text: str, what: str = "type") -> exp.DataType:
    """A DuckDB type name as a DataType node; the whole text must be one type (else ValueError)."""
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


def is_date(dtype: exp.DataType | None) -> bool:
    return dtype is not None and dtype.is_type(*DATE_TYPES)


def require_temporal(ctx: TransformContext, column: str, transform: str) -> exp.DataType | None:
    """The column's type (None if unknown); a TransformError when it is known and not a date or timestamp."""
    ctx.require(column)
    dtype = upstream_type(ctx, column)
    if dtype is not None and not dtype.is_type(*DATE_TYPES, *TIMESTAMP_TYPES):
        raise TransformError(
            f'{transform} needs a date or timestamp; "{column}" is {type_label(dtype)}',
            hint=f"cast it first, e.g. cast_columns: {{columns: {{{column}: timestamp}}}}",
        )
    return dtype


def type_label(dtype: exp.DataType) -> str:
    return dtype.sql(dialect="duckdb")


TRANSFORM = CastColumnsTransform
