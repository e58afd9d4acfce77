"""date_trunc: round a date or timestamp column down to the start of a unit.

YAML::

    transform:
      - date_trunc: {column: order_ts, unit: month, as: order_month}

Units: year, quarter, month, week (weeks start on Monday, ISO 8601), day, hour, minute, second.
A timestamp gives a timestamp; a DATE gives a DATE (both engines return a timestamp, so the result
is cast back). Without ``as`` the column is replaced in place; an ``as`` naming an existing column
replaces that column. NULL gives NULL.

DuckDB::

    SELECT "id", "order_ts", DATE_TRUNC('MONTH', "order_ts") AS "order_month" FROM "prev"

Spark::

    SELECT `id`, `order_ts`, DATE_TRUNC('MONTH', `order_ts`) AS `order_month` FROM `prev`

Dialects: all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.cast_columns import is_date, parse_type, require_temporal
from odibi_sql.transforms.derive_columns import with_columns

TruncUnit = Literal["year", "quarter", "month", "week", "day", "hour", "minute", "second"]


class DateTruncTransform(Transform):
    name = "date_trunc"

    column: str = Field(min_length=1, description="The date or timestamp column.")
    unit: TruncUnit = Field(description="year, quarter, month, week, day, hour, minute or second.")
    as_: str | None = Field(
        default=None, alias="as", min_length=1, description="Output column (default: replace in place)."
    )

    def apply(self, ctx: TransformContext) -> exp.Select:
        date_column = is_date(require_temporal(ctx, self.column, self.name))
        # The node sqlglot parses from DuckDB's date_trunc('unit', x).
        truncated: exp.Expression = exp.TimestampTrunc(
            this=ctx.column(self.column), unit=exp.var(self.unit.upper())
        )
        if date_column:
            truncated = exp.cast(truncated, parse_type("date"))
        return exp.select(*with_columns(ctx, {self.as_ or self.column: truncated})).from_(ctx.table())


TRANSFORM = DateTruncTransform
