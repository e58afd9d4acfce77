"""date_trunc: round a date or timestamp column down to the start of a unit.

YAML::

    transform:
      - date_trunc: {column: order_ts, unit: month, as: order_month}

DuckDB: ``SELECT "id", "order_ts", DATE_TRUNC('MONTH', "order_ts") AS "order_month" FROM "prev"``
Spark:  ``SELECT `id`, `order_ts`, DATE_TRUNC('MONTH', `order_ts`) AS `order_month` FROM `prev```

Units: year, quarter, month, week (weeks start on Monday, ISO), day, hour, minute, second. A
timestamp gives a timestamp; a DATE column gives a DATE (both engines return a timestamp, so the
result is cast back). Without ``as`` the column is replaced in place. NULL gives NULL.

Dialects: all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError
from odibi_sql.transforms.cast_columns import DATE_TYPES, TIMESTAMP_TYPES, type_label, upstream_type
from odibi_sql.transforms.derive_columns import with_columns

TruncUnit = Literal["year", "quarter", "month", "week", "day", "hour", "minute", "second"]


class DateTruncTransform(Transform):
    name = "date_trunc"
    column: str
    unit: TruncUnit
    as_: str | None = Field(None, alias="as", min_length=1)
    """Output column; default: replace ``column`` in place."""

    def apply(self, ctx: TransformContext) -> exp.Select:
        source = ctx.column(self.column)
        dtype = upstream_type(ctx, self.column)
        is_date = dtype is not None and dtype.is_type(*DATE_TYPES)
        if dtype is not None and not is_date and not dtype.is_type(*TIMESTAMP_TYPES):
            raise TransformError(
                f'date_trunc needs a date or timestamp; "{self.column}" is {type_label(dtype)}',
                hint=f"cast it first: cast_columns: {{columns: {{{self.column}: timestamp}}}}",
            )
        # The node sqlglot parses from DuckDB's date_trunc('unit', x).
        truncated: exp.Expression = exp.TimestampTrunc(this=source, unit=exp.var(self.unit.upper()))
        if is_date:
            truncated = exp.cast(truncated, exp.DataType.build("date"))
        return exp.select(*with_columns(ctx, {self.as_ or self.column: truncated})).from_(ctx.table())


TRANSFORM = DateTruncTransform
