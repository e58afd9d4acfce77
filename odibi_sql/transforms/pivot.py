"""pivot: turn the values of one column into columns, aggregating another column.

YAML::

    transform:
      - pivot:
          group_by: [order_id]
          pivot_column: payment_type
          values: [credit_card, boleto, "debit card"]   # required: the output columns are known
          aggregate: {function: sum, column: payment_value}
          prefix: paid_                                 # optional, prepended to every new column

One row per ``group_by`` combination (one row in total when ``group_by`` is empty), then one
column per value, named after the value: each run of characters other than letters, digits and
``_`` becomes one ``_`` ("debit card" -> ``debit_card``), then ``prefix`` is prepended. Names that
collide after this (or with a group_by column, case-insensitively) are an error. A value with no rows gives
NULL, except ``count`` which gives 0. Rows whose pivot value is not listed are ignored. Functions:
sum, count (``column`` optional: counts rows), count_distinct, min, max, avg.

DuckDB::

    SELECT "order_id",
      SUM(CASE WHEN "payment_type" = 'credit_card' THEN "payment_value" END) AS "paid_credit_card",
      SUM(CASE WHEN "payment_type" = 'debit card' THEN "payment_value" END) AS "paid_debit_card"
    FROM "src" GROUP BY "order_id"

Spark: the same with backticks. The portable CASE form is used instead of DuckDB's PIVOT
statement (which Spark does not accept).

Dialects: all.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlglot import exp

from odibi_sql.transforms.aggregate import aggregate_call
from odibi_sql.transforms.base import Transform, TransformContext, TransformError

PivotValue = bool | int | float | date | str


class PivotAggregate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    function: Literal["sum", "count", "count_distinct", "min", "max", "avg"]
    column: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _column_when_needed(self) -> PivotAggregate:
        if self.column is None and self.function != "count":
            raise ValueError(f"{self.function} needs a 'column'")
        return self


class PivotTransform(Transform):
    name = "pivot"

    group_by: list[str] = Field(default_factory=list, description="Columns identifying an output row.")
    pivot_column: str = Field(min_length=1, description="Column whose values become columns.")
    values: list[PivotValue] = Field(min_length=1, description="Values that become columns, in order.")
    aggregate: PivotAggregate
    prefix: str = Field(default="", description="Prepended to every pivoted column name.")

    @field_validator("values")
    @classmethod
    def _distinct_values(cls, value: list[PivotValue]) -> list[PivotValue]:
        seen = [(type(v), v) for v in value]
        if len(set(seen)) != len(seen):
            raise ValueError("a pivot value is listed twice")
        return value

    @field_validator("group_by")
    @classmethod
    def _distinct_groups(cls, value: list[str]) -> list[str]:
        if len({v.lower() for v in value}) != len(value):
            raise ValueError("group_by lists a column twice")
        return value

    def column_names(self) -> list[str]:
        """The output name of each value: sanitized, prefixed, checked for collisions."""
        names = [self.prefix + pivot_column_name(v) for v in self.values]
        taken = {g.lower(): f'group_by column "{g}"' for g in self.group_by}
        for value, name in zip(self.values, names, strict=True):
            if name.lower() in taken:
                raise TransformError(
                    f'pivot value {value!r} becomes column "{name}", '
                    f"which clashes with {taken[name.lower()]}",
                    hint="set a 'prefix' for the pivoted columns, or rename the values first",
                )
            taken[name.lower()] = f"the column of value {value!r}"
        return names

    def apply(self, ctx: TransformContext) -> exp.Select:
        ctx.require(*self.group_by)
        pivot = ctx.column(self.pivot_column)
        measure = ctx.column(self.aggregate.column) if self.aggregate.column is not None else None
        projections: list[exp.Expression] = [exp.column(g, quoted=True) for g in self.group_by]
        for value, name in zip(self.values, self.column_names(), strict=True):
            then = measure.copy() if measure is not None else exp.Literal.number(1)
            when = exp.If(this=pivot.copy().eq(exp.convert(value)), true=then)
            case = exp.Case(ifs=[when])
            projections.append(exp.alias_(aggregate_call(self.aggregate.function, case), name, quoted=True))
        query = exp.select(*projections).from_(ctx.table())
        if self.group_by:
            query = query.group_by(*(exp.column(g, quoted=True) for g in self.group_by), copy=False)
        return query


def pivot_column_name(value: PivotValue) -> str:
    """``"debit card"`` -> ``debit_card``; ``True`` -> ``true``; ``1.5`` -> ``1_5``."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    name = re.sub(r"\W+", "_", text).strip("_")
    return name or "_"


TRANSFORM = PivotTransform
