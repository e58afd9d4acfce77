"""date_diff: the number of unit boundaries between two date or timestamp columns.

YAML::

    transform:
      - date_diff: {start: purchase_ts, end: delivered_ts, unit: day, as: delivery_days}

DuckDB: ``SELECT ..., CAST(DATE_DIFF('DAY', "purchase_ts", "delivered_ts") AS BIGINT) AS "delivery_days" FROM "prev"``
Spark:  ``SELECT ..., CAST(DATEDIFF(DAY, `purchase_ts`, `delivered_ts`) AS BIGINT) AS `delivery_days` FROM `prev```
(sqlglot's rendering; Spark's DATEDIFF(unit, ...) counts whole units, so the lowering step rewrites it)

Semantics are DuckDB's ``date_diff``: how many unit boundaries lie between ``start`` and ``end``,
not how many whole units elapsed. From 2024-01-31 to 2024-02-01 is 1 month; from 23:59 to 00:01
the next day is 1 day; from 10:59 to 11:00 is 1 hour. ``week`` is the number of whole 7-day
periods between the two calendar days, and ``quarter`` and ``year`` count calendar quarters and
years. The result is negative when ``end`` is before ``start``, NULL when either is NULL, and a
BIGINT on every engine. Units: year, quarter, month, week, day, hour, minute, second. ``as``
names the output column (an existing column is replaced in place).

Dialects: all, through the Spark lowering step (which turns the canonical node, marked
``date_part_boundary``, into Spark expressions with the same boundary semantics).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError
from odibi_sql.transforms.cast_columns import DATE_TYPES, TIMESTAMP_TYPES, type_label, upstream_type
from odibi_sql.transforms.derive_columns import with_columns

DiffUnit = Literal["year", "quarter", "month", "week", "day", "hour", "minute", "second"]


class DateDiffTransform(Transform):
    name = "date_diff"
    start: str
    end: str
    unit: DiffUnit
    as_: str = Field(alias="as", min_length=1)
    """Output column."""

    def apply(self, ctx: TransformContext) -> exp.Select:
        for column in (self.start, self.end):
            ctx.require(column)
            dtype = upstream_type(ctx, column)
            if dtype is not None and not dtype.is_type(*DATE_TYPES, *TIMESTAMP_TYPES):
                raise TransformError(
                    f'date_diff needs dates or timestamps; "{column}" is {type_label(dtype)}',
                    hint=f"cast it first: cast_columns: {{columns: {{{column}: timestamp}}}}",
                )
        # The node sqlglot parses from DuckDB's date_diff('unit', start, end): boundaries are
        # counted for every unit but week, which counts whole 7-day spans.
        diff = exp.DateDiff(
            this=ctx.column(self.end),
            expression=ctx.column(self.start),
            unit=exp.var(self.unit.upper()),
            date_part_boundary=None if self.unit == "week" else True,
        )
        result = exp.cast(diff, exp.DataType.build("bigint"))
        return exp.select(*with_columns(ctx, {self.as_: result})).from_(ctx.table())


TRANSFORM = DateDiffTransform
