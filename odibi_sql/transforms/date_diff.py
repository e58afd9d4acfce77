"""date_diff: how many unit boundaries lie between two date or timestamp columns (DuckDB's date_diff).

YAML::

    transform:
      - date_diff: {start: purchase_ts, end: delivered_ts, unit: day, as: delivery_days}

The semantics are DuckDB's ``date_diff``: the number of unit *boundaries* crossed from ``start``
to ``end``, not the number of whole units elapsed. From 2024-01-31 to 2024-02-01 is 1 month; from
23:59 to 00:01 the next day is 1 day; from 10:59 to 11:00 is 1 hour; year and quarter count
calendar years and quarters. The exception is ``week``, which (as in DuckDB) counts whole 7-day
spans between the two days: Sunday to the next Monday is 0 weeks. The result is negative when
``end`` is before ``start``, NULL when either is NULL, and a BIGINT on every engine. Units: year,
quarter, month, week, day, hour, minute, second. ``as`` names the output column (an existing
column is replaced in place).

DuckDB::

    SELECT "purchase_ts", "delivered_ts", CAST(DATE_DIFF('DAY', "purchase_ts", "delivered_ts") AS
    BIGINT) AS "delivery_days" FROM "prev"

Spark (as sqlglot renders it, before the Spark lowering step)::

    SELECT `purchase_ts`, `delivered_ts`, CAST(DATEDIFF(DAY, `purchase_ts`, `delivered_ts`) AS BIGINT)
    AS `delivery_days` FROM `prev`

Dialects: all, through the Spark lowering step: Spark's DATEDIFF(unit, a, b) is TIMESTAMPDIFF, which
counts whole units elapsed. The canonical node carries ``date_part_boundary=True`` (every unit but
week), exactly as sqlglot parses DuckDB's date_diff, for the lowering step to key on.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.cast_columns import parse_type, require_temporal
from odibi_sql.transforms.derive_columns import with_columns

DiffUnit = Literal["year", "quarter", "month", "week", "day", "hour", "minute", "second"]


class DateDiffTransform(Transform):
    name = "date_diff"

    start: str = Field(min_length=1, description="The earlier date or timestamp column.")
    end: str = Field(min_length=1, description="The later date or timestamp column.")
    unit: DiffUnit = Field(description="year, quarter, month, week, day, hour, minute or second.")
    as_: str = Field(alias="as", min_length=1, description="Output column.")

    def apply(self, ctx: TransformContext) -> exp.Select:
        require_temporal(ctx, self.start, self.name)
        require_temporal(ctx, self.end, self.name)
        # The node sqlglot parses from DuckDB's date_diff('unit', start, end).
        diff = exp.DateDiff(
            this=ctx.column(self.end),
            expression=ctx.column(self.start),
            unit=exp.var(self.unit.upper()),
            date_part_boundary=None if self.unit == "week" else True,
        )
        result = exp.cast(diff, parse_type("bigint"))
        return exp.select(*with_columns(ctx, {self.as_: result})).from_(ctx.table())


TRANSFORM = DateDiffTransform
