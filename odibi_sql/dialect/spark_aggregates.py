"""Spark lowering of DuckDB's list aggregate: ``list(x)`` / ``array_agg(x [ORDER BY ...])``."""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect._types import DECIMAL_TYPES, is_type
from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles, snippet

_VALUE = "v"


@handles(exp.ArrayAgg, exp.Filter, exp.Window)
def lower_list_aggregate(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """list(x [ORDER BY k]): DuckDB keeps NULL elements, honours ORDER BY and gives NULL for no rows.

    sqlglot renders ``COLLECT_LIST(x)``, which drops NULL elements, drops the ORDER BY, and gives
    ``[]`` for no rows. Spark equivalent: collect structs (a struct is never NULL, so NULL values
    survive), sort them with a comparator that follows each key's direction and NULLS FIRST/LAST,
    unwrap: ``TRANSFORM(ARRAY_SORT(COLLECT_LIST(NAMED_STRUCT('k0', k, 'v', x)), (l, r) -> ...),
    e -> e.v)``. Where a group can be empty (no GROUP BY, a FILTER, a window frame) an empty result
    becomes NULL. DISTINCT, FILTER and OVER are kept on the inner COLLECT_LIST.
    """
    wrapper: exp.Expr | None = None
    aggregate = node
    if isinstance(node, (exp.Filter, exp.Window)) and isinstance(node.this, exp.ArrayAgg):
        wrapper, aggregate = node, node.this
    elif not isinstance(node, exp.ArrayAgg) or isinstance(node.parent, (exp.Filter, exp.Window)):
        return node
    value, keys, distinct = _parts(aggregate)
    if value is None:
        return node
    fields: list[exp.Expr] = []
    for index, ordered in enumerate(keys):
        fields += [exp.Literal.string(f"k{index}"), ordered.this]
    fields += [exp.Literal.string(_VALUE), value]
    element: exp.Expr = exp.Anonymous(this="NAMED_STRUCT", expressions=fields)
    if distinct:
        element = exp.Distinct(expressions=[element])
    collected: exp.Expr = exp.Anonymous(this="COLLECT_LIST", expressions=[element])
    if wrapper is not None:
        wrapper.set("this", collected)
        collected = wrapper
    sorted_ = (
        exp.Anonymous(this="ARRAY_SORT", expressions=[collected, _comparator(keys)]) if keys else collected
    )
    result: exp.Expr = exp.Anonymous(
        this="TRANSFORM", expressions=[sorted_, _lambda(["e"], _field("e", _VALUE))]
    )
    if wrapper is not None or _may_be_empty(node):
        empty = exp.EQ(this=exp.ArraySize(this=collected.copy()), expression=exp.Literal.number(0))
        result = exp.Case(ifs=[exp.If(this=empty, true=exp.null())], default=result)
    return result


def _parts(aggregate: exp.ArrayAgg) -> tuple[exp.Expr | None, list[exp.Ordered], bool]:
    """(value, ORDER BY keys, DISTINCT) of a DuckDB list aggregate."""
    this = aggregate.this
    keys: list[exp.Ordered] = []
    if isinstance(this, exp.Order):
        keys = list(this.expressions)
        this = this.this
    distinct = False
    if isinstance(this, exp.Distinct):
        if len(this.expressions) != 1:
            return None, [], False
        distinct, this = True, this.expressions[0]
    return this, keys, distinct


def _may_be_empty(node: exp.Expr) -> bool:
    """Whether the aggregate can see no rows: a global aggregate (no GROUP BY)."""
    select = node.find_ancestor(exp.Select)
    return select is None or not select.args.get("group")


def _field(variable: str, name: str) -> exp.Expr:
    return exp.Dot(this=exp.to_identifier(variable), expression=exp.to_identifier(name))


def _lambda(variables: list[str], body: exp.Expr) -> exp.Lambda:
    return exp.Lambda(this=body, expressions=[exp.to_identifier(v) for v in variables])


def _comparator(keys: list[exp.Ordered]) -> exp.Lambda:
    """(l, r) -> -1 / 0 / 1 following each key's ASC/DESC and NULLS FIRST/LAST; the first difference wins.

    One flat CASE: for each key in turn, a NULL on one side only, then less, then greater; keys
    that are equal (or both NULL) fall through to the next key.
    """
    one, minus_one = exp.Literal.number(1), exp.Literal.number(-1)
    ifs: list[exp.If] = []
    for index, ordered in enumerate(keys):
        left, right = _field("l", f"k{index}"), _field("r", f"k{index}")
        nulls_first = bool(ordered.args.get("nulls_first"))
        desc = bool(ordered.args.get("desc"))
        ifs += [
            exp.If(
                this=exp.and_(
                    exp.Is(this=left.copy(), expression=exp.null()),
                    exp.not_(exp.Is(this=right.copy(), expression=exp.null())),
                ),
                true=(minus_one if nulls_first else one).copy(),
            ),
            exp.If(
                this=exp.and_(
                    exp.not_(exp.Is(this=left.copy(), expression=exp.null())),
                    exp.Is(this=right.copy(), expression=exp.null()),
                ),
                true=(one if nulls_first else minus_one).copy(),
            ),
            exp.If(
                this=exp.LT(this=left.copy(), expression=right.copy()),
                true=(one if desc else minus_one).copy(),
            ),
            exp.If(
                this=exp.GT(this=left.copy(), expression=right.copy()),
                true=(minus_one if desc else one).copy(),
            ),
        ]
    return _lambda(["l", "r"], exp.Case(ifs=ifs, default=exp.Literal.number(0)))


@handles(exp.PercentileCont)
def lower_quantile_cont(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """quantile_cont(x, q): DuckDB's exact interpolated quantile. sqlglot writes Spark's
    ``PERCENTILE_CONT(x, q)``, which Spark rejects (it takes WITHIN GROUP); Spark's exact
    ``PERCENTILE(x, q)`` interpolates the same way. The WITHIN GROUP form is left alone."""
    if not isinstance(node, exp.PercentileCont) or isinstance(node.parent, exp.WithinGroup):
        return node
    if node.expression is None:
        return node
    return exp.Anonymous(this="PERCENTILE", expressions=[node.this, node.expression])


def check_quantile(node: exp.Expr, caps: Capabilities) -> str | None:
    """quantile_cont of a DECIMAL: DuckDB returns a DECIMAL, Spark's PERCENTILE a DOUBLE."""
    if isinstance(node, exp.PercentileCont) and is_type(node.this, DECIMAL_TYPES):
        return (
            f"{snippet(node)}: DuckDB's quantile of a DECIMAL is a DECIMAL and Spark's a DOUBLE; "
            "cast the column to DOUBLE first"
        )
    return None


@handles(exp.ArgMax, exp.ArgMin)
def lower_arg_max(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """arg_max(x, y) / arg_min: DuckDB skips rows whose ``x`` is NULL; Spark's MAX_BY / MIN_BY
    return the NULL of the row with the largest ``y``. Rendered as ``MAX_BY(x, CASE WHEN x IS NOT
    NULL THEN y END)`` (rows with a NULL ``y`` are skipped by both). Among rows tied on ``y`` either
    engine may pick any one; the registry's cases use distinct values. The 3-argument form is
    reported by lint (OD301)."""
    if not isinstance(node, (exp.ArgMax, exp.ArgMin)) or node.args.get("count") is not None:
        return node
    present = exp.not_(exp.Is(this=node.this.copy(), expression=exp.null()))
    ordering = exp.Case(ifs=[exp.If(this=present, true=node.expression)], default=exp.null())
    node.set("expression", ordering)
    return node
