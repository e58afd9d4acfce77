"""date_add: shift a date or timestamp column by a fixed number of units.

YAML::

    transform:
      - date_add: {column: order_date, amount: 30, unit: day, as: due_date}
      - date_add: {column: order_ts, amount: -2, unit: hour}     # in place

DuckDB: ``SELECT "id", "order_date", CAST("order_date" + INTERVAL '30' DAY AS DATE) AS "due_date" FROM "prev"``
Spark:  ``SELECT `id`, `order_date`, CAST(`order_date` + INTERVAL '30' DAY AS DATE) AS `due_date` FROM `prev```

Units: year, quarter, month, week, day, hour, minute, second; ``amount`` may be negative. Adding
months (or quarters, years) to a day that the target month lacks gives its last day: Jan 31 + 1
month = Feb 28/29, on both engines. A DATE column stays a DATE for units of a day or longer and
becomes a TIMESTAMP for hour, minute and second (the date is cast first, as Spark requires); a
timestamp stays a timestamp. Quarters and weeks are written as 3 months and 7 days, so only
interval units both engines know are emitted. Without ``as`` the column is replaced in place.

Dialects: all (Spark 3.2 or later for ANSI interval literals). NULL gives NULL.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError
from odibi_sql.transforms.cast_columns import DATE_TYPES, TIMESTAMP_TYPES, type_label, upstream_type
from odibi_sql.transforms.derive_columns import with_columns

DateUnit = Literal["year", "quarter", "month", "week", "day", "hour", "minute", "second"]
TIME_UNITS = frozenset({"hour", "minute", "second"})
_AS_INTERVAL = {"quarter": ("month", 3), "week": ("day", 7)}


class DateAddTransform(Transform):
    name = "date_add"
    column: str
    amount: int
    """How many units to add; negative subtracts."""
    unit: DateUnit
    as_: str | None = Field(None, alias="as", min_length=1)
    """Output column; default: replace ``column`` in place."""

    def apply(self, ctx: TransformContext) -> exp.Select:
        source: exp.Expression = ctx.column(self.column)
        dtype = upstream_type(ctx, self.column)
        is_date = dtype is not None and dtype.is_type(*DATE_TYPES)
        if dtype is not None and not is_date and not dtype.is_type(*TIMESTAMP_TYPES):
            raise TransformError(
                f'date_add needs a date or timestamp; "{self.column}" is {type_label(dtype)}',
                hint=f"cast it first: cast_columns: {{columns: {{{self.column}: timestamp}}}}",
            )
        unit, factor = _AS_INTERVAL.get(self.unit, (self.unit, 1))
        if is_date and unit in TIME_UNITS:
            source = exp.cast(source, exp.DataType.build("timestamp"))
        interval = exp.Interval(
            this=exp.Literal.string(str(self.amount * factor)), unit=exp.var(unit.upper())
        )
        shifted: exp.Expression = exp.Add(this=source, expression=interval)
        if is_date and unit not in TIME_UNITS:
            shifted = exp.cast(shifted, exp.DataType.build("date"))
        return exp.select(*with_columns(ctx, {self.as_ or self.column: shifted})).from_(ctx.table())


TRANSFORM = DateAddTransform
