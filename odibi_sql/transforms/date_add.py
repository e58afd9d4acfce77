"""date_add: shift a date or timestamp column by a fixed number of units.

YAML::

    transform:
      - date_add: {column: order_date, amount: 30, unit: day, as: due_date}
      - date_add: {column: order_ts, amount: -2, unit: hour}     # in place

Units: year, quarter, month, week, day, hour, minute, second; ``amount`` may be negative. Adding
months (or quarters, years) to a day the target month lacks gives its last day: Jan 31 + 1 month is
Feb 29 in 2024. A DATE stays a DATE for units of a day or longer and becomes a TIMESTAMP for hour,
minute and second; a timestamp stays a timestamp. Quarters and weeks are written as 3 months and
7 days, so only interval units both engines know are emitted. Without ``as`` the column is replaced
in place; an ``as`` naming an existing column replaces that column. NULL gives NULL.

DuckDB::

    SELECT "id", "order_date", CAST("order_date" + INTERVAL '30' DAY AS DATE) AS "due_date" FROM "prev"

Spark::

    SELECT `id`, `order_date`, CAST(`order_date` + INTERVAL '30' DAY AS DATE) AS `due_date` FROM `prev`

Dialects: all (Spark 3.2 or later for ANSI interval literals). A DATE is cast to a timestamp
before adding hours, minutes or seconds, which Spark requires.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.cast_columns import is_date, parse_type, require_temporal
from odibi_sql.transforms.derive_columns import with_columns

DateUnit = Literal["year", "quarter", "month", "week", "day", "hour", "minute", "second"]
_TIME_UNITS = frozenset({"hour", "minute", "second"})
_AS_INTERVAL = {"quarter": ("month", 3), "week": ("day", 7)}


class DateAddTransform(Transform):
    name = "date_add"

    column: str = Field(min_length=1, description="The date or timestamp column.")
    amount: int = Field(description="How many units to add; negative subtracts.")
    unit: DateUnit = Field(description="year, quarter, month, week, day, hour, minute or second.")
    as_: str | None = Field(
        default=None, alias="as", min_length=1, description="Output column (default: replace in place)."
    )

    def apply(self, ctx: TransformContext) -> exp.Select:
        date_column = is_date(require_temporal(ctx, self.column, self.name))
        unit, factor = _AS_INTERVAL.get(self.unit, (self.unit, 1))
        source: exp.Expression = ctx.column(self.column)
        if date_column and unit in _TIME_UNITS:
            source = exp.cast(source, parse_type("timestamp"))
        interval = exp.Interval(
            this=exp.Literal.string(str(self.amount * factor)), unit=exp.var(unit.upper())
        )
        shifted: exp.Expression = exp.Add(this=source, expression=interval)
        if date_column and unit not in _TIME_UNITS:
            shifted = exp.cast(shifted, parse_type("date"))  # DuckDB's DATE + INTERVAL is a TIMESTAMP
        return exp.select(*with_columns(ctx, {self.as_ or self.column: shifted})).from_(ctx.table())


TRANSFORM = DateAddTransform
