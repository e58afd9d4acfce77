"""extract_date_parts: integer columns holding parts of a date or timestamp (year, month, ...).

YAML::

    transform:
      - extract_date_parts: {column: order_ts, parts: [year, month, dayofweek], prefix: order_}

Parts: ``year``; ``quarter`` (1-4); ``month`` (1-12); ``week`` (ISO 8601 week, 1-53, so
2024-12-30 is week 1); ``day`` (of the month); ``dayofyear`` (1-366); ``dayofweek`` (ISO:
1 = Monday ... 7 = Sunday); ``hour`` (0-23, timestamps only). The new columns are named
``<prefix><part>`` (default prefix ``<column>_``), are INT on every engine, and are NULL when the
column is NULL. A name that exists upstream is replaced in place; new names are appended in the
order of ``parts``.

DuckDB::

    SELECT "id", "order_ts", CAST(YEAR("order_ts") AS INT) AS "order_year", CAST(MONTH("order_ts") AS
    INT) AS "order_month", CAST(ISODOW("order_ts") AS INT) AS "order_dayofweek" FROM "prev"

Spark (as sqlglot renders it; ``dayofweek`` is wrong until the Spark lowering step fixes it)::

    SELECT `id`, `order_ts`, CAST(YEAR(`order_ts`) AS INT) AS `order_year`, CAST(MONTH(`order_ts`) AS
    INT) AS `order_month`, CAST(((DAYOFWEEK(`order_ts`) % 7) + 1) AS INT) AS `order_dayofweek` FROM
    `prev`

Dialects: all. Spark's DAYOFWEEK counts from Sunday = 1 and sqlglot's translation of ISODOW is off
by one, so the Spark lowering step must rewrite ``exp.DayOfWeekIso`` (e.g. ``WEEKDAY(x) + 1``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError
from odibi_sql.transforms.cast_columns import is_date, parse_type, require_temporal
from odibi_sql.transforms.derive_columns import with_columns

DatePart = Literal["year", "quarter", "month", "week", "day", "dayofyear", "dayofweek", "hour"]

# The nodes sqlglot parses from DuckDB's year(x), quarter(x), ..., isodow(x), hour(x).
_PART_NODES: dict[str, Callable[[exp.Expression], exp.Expression]] = {
    "year": lambda e: exp.Year(this=e),
    "quarter": lambda e: exp.Quarter(this=e),
    "month": lambda e: exp.Month(this=e),
    "week": lambda e: exp.WeekOfYear(this=e),
    "day": lambda e: exp.Day(this=e),
    "dayofyear": lambda e: exp.DayOfYear(this=e),
    "dayofweek": lambda e: exp.DayOfWeekIso(this=e),
    "hour": lambda e: exp.Hour(this=e),
}


class ExtractDatePartsTransform(Transform):
    name = "extract_date_parts"

    column: str = Field(min_length=1, description="The date or timestamp column.")
    parts: list[DatePart] = Field(min_length=1, description="Parts to extract, in output order.")
    prefix: str | None = Field(
        default=None, description="Output names are prefix + part (default: '<column>_')."
    )

    @field_validator("parts")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        duplicates = sorted({p for p in value if value.count(p) > 1})
        if duplicates:
            raise ValueError(f"parts lists {', '.join(duplicates)} more than once")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        dtype = require_temporal(ctx, self.column, self.name)
        if is_date(dtype) and "hour" in self.parts:
            raise TransformError(f'"{self.column}" is a DATE: it has no hour', hint="remove hour from parts")
        prefix = f"{self.column}_" if self.prefix is None else self.prefix
        new = {
            f"{prefix}{part}": exp.cast(_PART_NODES[part](ctx.column(self.column)), parse_type("int"))
            for part in self.parts
        }
        return exp.select(*with_columns(ctx, new)).from_(ctx.table())


TRANSFORM = ExtractDatePartsTransform
