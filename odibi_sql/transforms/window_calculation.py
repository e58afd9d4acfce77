"""window_calculation: add running totals, moving averages, ranks, lags and leads.

YAML::

    transform:
      - window_calculation:
          calculations:
            - {as: running_revenue, function: sum, column: amount,
               partition_by: [customer_id], order_by: "order_ts"}          # frame: running (default)
            - {as: avg_last_3, function: avg, column: amount,
               partition_by: [customer_id], order_by: "order_ts", frame: moving, rows: 3}
            - {as: order_rank, function: dense_rank, partition_by: [customer_id], order_by: "amount desc"}
            - {as: previous_amount, function: lag, column: amount, order_by: "order_ts",
               partition_by: [customer_id], offset: 1, default: 0}
            - {as: customer_total, function: sum, column: amount, partition_by: [customer_id]}

Every upstream column is kept; each calculation adds a column (or replaces the upstream column of
the same name, in place). Functions: sum, avg, count (``column`` optional), min, max;
row_number, rank, dense_rank (``order_by`` required, no ``column``); lag, lead (``offset``,
``default``); first_value, last_value (``ignore_nulls`` available). ``order_by`` is a SQL ORDER BY
list. Frames (aggregates and first/last_value only), always by rows so ties never share a value:

- ``running``: ``ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`` (default for aggregates
  with an ``order_by``);
- ``moving`` with ``rows: N``: the current row and the N-1 before it;
- ``full``: the whole partition (default without ``order_by``, and for first_value/last_value).

DuckDB::

    SELECT "customer_id", "order_ts", "amount",
      SUM("amount") OVER (PARTITION BY "customer_id" ORDER BY order_ts
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "running_revenue"
    FROM "src"

Spark: the same with backticks; ORDER BY terms get explicit ``NULLS LAST`` where DuckDB's default
NULL placement differs from Spark's, and ``first_value(x IGNORE NULLS)`` renders as
``FIRST_VALUE(x) IGNORE NULLS``.

Dialects: all.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlglot import exp

from odibi_sql.transforms.aggregate import aggregate_call
from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.deduplicate import parse_order_list

_AGGREGATES = ("sum", "avg", "count", "min", "max")
_RANKING = ("row_number", "rank", "dense_rank")
_OFFSETS = ("lag", "lead")
_VALUES = ("first_value", "last_value")

WindowFunction = Literal[
    "sum",
    "avg",
    "count",
    "min",
    "max",
    "row_number",
    "rank",
    "dense_rank",
    "lag",
    "lead",
    "first_value",
    "last_value",
]


class WindowCalculationSpec(BaseModel):
    """One window column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_: str = Field(alias="as", min_length=1, description="Output column.")
    function: WindowFunction
    column: str | None = Field(default=None, min_length=1)
    partition_by: list[str] = Field(default_factory=list)
    order_by: str | None = Field(default=None, min_length=1, description="SQL ORDER BY list.")
    frame: Literal["running", "moving", "full"] | None = None
    rows: int | None = Field(default=None, ge=1, description="Window size of a moving frame.")
    offset: int = Field(default=1, ge=1, description="Rows back (lag) or ahead (lead).")
    default: str | bool | int | float | date | datetime | None = Field(
        default=None, description="Value of lag/lead when there is no such row."
    )
    ignore_nulls: bool = Field(default=False, description="first_value/last_value/lag/lead skip NULLs.")

    @field_validator("partition_by")
    @classmethod
    def _distinct_partition(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("partition_by lists a column twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> WindowCalculationSpec:
        fn, what = self.function, f"{self.as_} ({self.function})"
        if fn in _RANKING and self.column is not None:
            raise ValueError(f"{what} takes no 'column'")
        if fn not in _RANKING and fn != "count" and self.column is None:
            raise ValueError(f"{what} needs a 'column'")
        if fn in (*_RANKING, *_OFFSETS, *_VALUES) and self.order_by is None:
            raise ValueError(f"{what} needs an 'order_by'")
        if fn in (*_RANKING, *_OFFSETS) and self.frame is not None:
            raise ValueError(f"{what} takes no 'frame'")
        if self.frame in ("running", "moving") and self.order_by is None:
            raise ValueError(f"a {self.frame} frame needs an 'order_by' ({what})")
        if (self.frame == "moving") != (self.rows is not None):
            raise ValueError(f"'rows' goes with frame: moving, and a moving frame needs 'rows' ({what})")
        set_fields = self.model_fields_set
        if fn not in _OFFSETS and {"offset", "default"} & set_fields:
            raise ValueError(f"'offset' and 'default' only apply to lag and lead ({what})")
        if self.ignore_nulls and fn not in (*_OFFSETS, *_VALUES):
            raise ValueError(f"'ignore_nulls' only applies to lag, lead, first_value, last_value ({what})")
        return self

    def effective_frame(self) -> str | None:
        if self.function in (*_RANKING, *_OFFSETS):
            return None
        if self.frame is not None:
            return self.frame
        if self.function in _VALUES or self.order_by is None:
            return "full"
        return "running"


class WindowCalculationTransform(Transform):
    name = "window_calculation"

    calculations: list[WindowCalculationSpec] = Field(min_length=1)

    @field_validator("calculations")
    @classmethod
    def _distinct_outputs(cls, value: list[WindowCalculationSpec]) -> list[WindowCalculationSpec]:
        names = [c.as_.lower() for c in value]
        dupes = sorted({c.as_ for c in value if names.count(c.as_.lower()) > 1})
        if dupes:
            raise ValueError(f"two calculations write the same column: {', '.join(dupes)}")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        windows = {calc.as_.lower(): (calc.as_, _window(ctx, calc)) for calc in self.calculations}
        projections: list[exp.Expression] = []
        for name in ctx.columns:  # an upstream column of the same name is replaced in place
            out, window = windows.pop(name.lower(), (name, None))
            column = exp.column(name, quoted=True)
            projections.append(column if window is None else window.as_(out, quoted=True))
        projections += [window.as_(out, quoted=True) for out, window in windows.values()]
        return exp.select(*projections).from_(ctx.table())


def _window(ctx: TransformContext, calc: WindowCalculationSpec) -> exp.Window:
    ctx.require(*calc.partition_by)
    column = ctx.column(calc.column) if calc.column is not None else None
    order = parse_order_list(ctx, calc.order_by, f"order_by of {calc.as_}") if calc.order_by else []
    fn = calc.function
    function: exp.Expression
    if fn in _AGGREGATES:
        function = aggregate_call(fn, column)
    elif fn == "row_number":
        function = exp.RowNumber()
    elif fn == "rank":
        function = exp.Rank()
    elif fn == "dense_rank":
        function = exp.DenseRank()
    elif fn in _OFFSETS:
        builder = exp.Lag if fn == "lag" else exp.Lead
        default = exp.convert(calc.default) if calc.default is not None else None
        offset = exp.Literal.number(calc.offset)
        function = builder(this=column, offset=offset, default=default)
    else:
        function = (exp.FirstValue if fn == "first_value" else exp.LastValue)(this=column)
    if calc.ignore_nulls:
        function = exp.IgnoreNulls(this=function)
    return exp.Window(
        this=function,
        partition_by=[exp.column(p, quoted=True) for p in calc.partition_by] or None,
        order=exp.Order(expressions=order) if order else None,
        spec=_frame(calc.effective_frame(), calc.rows, bool(order)),
        over="OVER",
    )


def _frame(frame: str | None, rows: int | None, ordered: bool) -> exp.WindowSpec | None:
    if frame is None or (frame == "full" and not ordered):
        return None
    if frame == "running":
        start, start_side = "UNBOUNDED", "PRECEDING"
        end, end_side = "CURRENT ROW", None
    elif frame == "moving":
        assert rows is not None
        if rows == 1:
            start, start_side = "CURRENT ROW", None
        else:
            start, start_side = exp.Literal.number(rows - 1), "PRECEDING"
        end, end_side = "CURRENT ROW", None
    else:
        start, start_side = "UNBOUNDED", "PRECEDING"
        end, end_side = "UNBOUNDED", "FOLLOWING"
    return exp.WindowSpec(kind="ROWS", start=start, start_side=start_side, end=end, end_side=end_side)


TRANSFORM = WindowCalculationTransform
