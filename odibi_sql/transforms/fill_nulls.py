"""fill_nulls: replace NULLs with fixed values, in place.

YAML::

    transform:
      - fill_nulls: {columns: {discount: 0, channel: unknown, shipped_date: "1900-01-01"}}
      - fill_nulls: {columns: [qty, returned_qty], value: 0}    # one value for several columns

Values are literals (text, numbers, booleans), never SQL; to fill from another column use
``derive_columns`` with ``coalesce``. When the column's type is known, a text value for a non-text
column (a date, a timestamp, a decimal) is cast to that type, and a number or boolean for a text
column is written as text, so every column keeps its type on every engine. A value that does not
convert to the column's type fails the query when a NULL is met.

DuckDB::

    SELECT "id", COALESCE("discount", 0) AS "discount", COALESCE("channel", 'unknown') AS "channel",
    COALESCE("shipped_date", CAST('1900-01-01' AS DATE)) AS "shipped_date" FROM "prev"

Spark::

    SELECT `id`, COALESCE(`discount`, 0) AS `discount`, COALESCE(`channel`, 'unknown') AS `channel`,
    COALESCE(`shipped_date`, CAST('1900-01-01' AS DATE)) AS `shipped_date` FROM `prev`

Dialects: all.
"""

from __future__ import annotations

from pydantic import Field, model_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, star_except
from odibi_sql.transforms.cast_columns import is_text, upstream_type
from odibi_sql.transforms.derive_columns import check_names

Scalar = bool | int | float | str


class FillNullsTransform(Transform):
    name = "fill_nulls"
    columns: dict[str, Scalar] | list[str] = Field(
        description="Column -> value, or a list of columns that all get 'value'."
    )
    value: Scalar | None = Field(default=None, description="The value for every column of a list.")

    @model_validator(mode="after")
    def _check_shape(self) -> FillNullsTransform:
        if not self.columns:
            raise ValueError("columns must name at least one column to fill")
        check_names(self.columns, "columns")
        if isinstance(self.columns, list) and self.value is None:
            raise ValueError("a list of columns needs a value: {columns: [a, b], value: 0}")
        if isinstance(self.columns, dict) and self.value is not None:
            raise ValueError("value goes with a list of columns; with a mapping, give each column its value")
        return self

    def fills(self) -> dict[str, Scalar]:
        """Column -> fill value, whichever form was used."""
        if isinstance(self.columns, dict):
            return dict(self.columns)
        assert self.value is not None
        return dict.fromkeys(self.columns, self.value)

    def apply(self, ctx: TransformContext) -> exp.Select:
        fills = self.fills()
        ctx.require(*fills)
        replaced: dict[str, exp.Expression] = {}
        for column, value in fills.items():
            replaced[column] = exp.Coalesce(
                this=ctx.column(column), expressions=[_literal(ctx, column, value)]
            )
        return exp.select(*star_except(ctx, replaced)).from_(ctx.table())


def _literal(ctx: TransformContext, column: str, value: Scalar) -> exp.Expression:
    dtype = upstream_type(ctx, column)
    if dtype is None:
        return exp.convert(value)
    if is_text(dtype):
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        return exp.Literal.string(text)
    if isinstance(value, str):
        return exp.cast(exp.Literal.string(value), dtype.copy())
    return exp.convert(value)


TRANSFORM = FillNullsTransform
