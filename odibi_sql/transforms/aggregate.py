"""aggregate: group rows and compute aggregates, one output row per group.

YAML::

    transform:
      - aggregate:
          group_by: [customer_id]
          aggregations:
            order_count: "count(*)"                       # any aggregate SQL expression
            revenue: {function: sum, column: amount}      # or a function and a column
            customers: {function: count_distinct, column: customer_id}

The output has the ``group_by`` columns in order, then one column per aggregation, in order.
Without ``group_by`` the whole input is one group: one row even when the input is empty
(``count`` 0, other aggregates NULL). Functions: sum, count (``column`` optional: count(*)),
count_distinct, min, max, avg. String aggregations are parsed as DuckDB SQL; they must contain an
aggregate function and may only reference upstream columns.

DuckDB::

    SELECT "customer_id", COUNT(*) AS "order_count", SUM("amount") AS "revenue"
    FROM "src" GROUP BY "customer_id"

Spark::

    SELECT `customer_id`, COUNT(*) AS `order_count`, SUM(`amount`) AS `revenue`
    FROM `src` GROUP BY `customer_id`

Dialects: all. Result types follow the engine: DuckDB sums integers as HUGEINT (INT128), Spark as
BIGINT; ``avg`` is DOUBLE on both (DECIMAL inputs keep a DECIMAL average).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError

AggregateFunction = Literal["sum", "count", "count_distinct", "min", "max", "avg"]


def aggregate_call(function: str, argument: exp.Expression | None) -> exp.Expression:
    """``function(argument)`` as an AST; ``count`` without argument is ``count(*)``."""
    if function == "count":
        return exp.Count(this=argument if argument is not None else exp.Star())
    if argument is None:
        raise ValueError(f"{function} needs a column")
    if function == "count_distinct":
        return exp.Count(this=exp.Distinct(expressions=[argument]))
    builders = {"sum": exp.Sum, "min": exp.Min, "max": exp.Max, "avg": exp.Avg}
    return builders[function](this=argument)


def require_referenced(ctx: TransformContext, expression: exp.Expression) -> None:
    """Every unqualified column an expression reads must exist upstream (raises "Did you mean")."""
    for column in expression.find_all(exp.Column):
        if not column.table:
            ctx.require(column.name)


class AggregationSpec(BaseModel):
    """One aggregation written as ``{function, column}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    function: AggregateFunction
    column: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _column_when_needed(self) -> AggregationSpec:
        if self.column is None and self.function != "count":
            raise ValueError(f"{self.function} needs a 'column'")
        return self


class AggregateTransform(Transform):
    name = "aggregate"

    group_by: list[str] = Field(default_factory=list, description="Grouping columns; empty: one group.")
    aggregations: dict[str, str | AggregationSpec] = Field(
        min_length=1, description='{output column: "sum(amount)" or {function, column}}.'
    )

    @field_validator("group_by")
    @classmethod
    def _distinct_groups(cls, value: list[str]) -> list[str]:
        if len({v.lower() for v in value}) != len(value):
            raise ValueError("group_by lists a column twice")
        return value

    @model_validator(mode="after")
    def _distinct_outputs(self) -> AggregateTransform:
        names = [*self.group_by, *self.aggregations]
        lowered = [n.lower() for n in names]
        dupes = sorted({n for n in names if lowered.count(n.lower()) > 1})
        if dupes:
            raise ValueError(f"output column names must be unique (case-insensitively): {', '.join(dupes)}")
        if any(not n for n in self.aggregations):
            raise ValueError("an aggregation needs a non-empty output name")
        return self

    def apply(self, ctx: TransformContext) -> exp.Select:
        ctx.require(*self.group_by)
        projections: list[exp.Expression] = [exp.column(g, quoted=True) for g in self.group_by]
        for out, spec in self.aggregations.items():
            projections.append(exp.alias_(self._aggregation(ctx, out, spec), out, quoted=True))
        query = exp.select(*projections).from_(ctx.table())
        if self.group_by:
            query = query.group_by(*(exp.column(g, quoted=True) for g in self.group_by), copy=False)
        return query

    def _aggregation(self, ctx: TransformContext, out: str, spec: str | AggregationSpec) -> exp.Expression:
        if isinstance(spec, AggregationSpec):
            argument = ctx.column(spec.column) if spec.column is not None else None
            return aggregate_call(spec.function, argument)
        expression = ctx.parse_expression(spec, f'aggregation "{out}"')
        require_referenced(ctx, expression)
        if not any(isinstance(node, exp.AggFunc) for node in expression.walk()):
            raise TransformError(
                f'aggregation "{out}" ({spec!r}) contains no aggregate function',
                hint="wrap the column in sum(), count(), min(), max(), avg() or another aggregate",
            )
        if expression.find(exp.Window):
            raise TransformError(
                f'aggregation "{out}" ({spec!r}) is a window function',
                hint="use window_calculation for OVER (...) expressions",
            )
        return expression


TRANSFORM = AggregateTransform
