"""Spark lowerings for list functions that treat NULL lists or NULL elements differently."""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect._types import LIST_TYPES, duck_type
from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles


def _not_null_elements(values: exp.Expr) -> exp.Expr:
    element = exp.to_identifier("e")
    keep = exp.not_(exp.Is(this=exp.column(element.copy()), expression=exp.null()))
    return exp.Anonymous(this="FILTER", expressions=[values, exp.Lambda(this=keep, expressions=[element])])


def _empty_like(values: exp.Expr) -> exp.Expr:
    """An empty list of the type of ``values`` (``SLICE`` keeps the element type, even of a NULL)."""
    found = duck_type(values)
    if found is not None and found.this in LIST_TYPES and found.expressions:
        return exp.Cast(this=exp.Array(expressions=[]), to=found.copy())
    return exp.Array(expressions=[])


@handles(exp.ArrayConcat)
def lower_list_concat(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """list_concat(a, b): DuckDB reads a NULL list as empty (``list_concat(NULL, [9])`` is [9]);
    Spark's CONCAT returns NULL. Rendered as ``CONCAT(COALESCE(a, []), COALESCE(b, []))``."""
    if not isinstance(node, exp.ArrayConcat):
        return node
    parts = [node.this, *node.expressions]
    guarded = [exp.Coalesce(this=p.copy(), expressions=[_empty_like(p)]) for p in parts]
    return exp.ArrayConcat(this=guarded[0], expressions=guarded[1:])


@handles(exp.ArrayContains)
def lower_list_contains(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """list_contains(l, v): DuckDB is false when ``v`` is absent even if ``l`` holds NULLs, and for
    an empty list; Spark's ARRAY_CONTAINS is NULL then. Rendered as ``COALESCE(ARRAY_CONTAINS(l,
    v), CASE WHEN l IS NOT NULL AND (v IS NOT NULL OR SIZE(l) = 0) THEN FALSE END)``."""
    if not isinstance(node, exp.ArrayContains) or isinstance(node.expression, exp.Null):
        return node
    values, value = node.this, node.expression
    empty = exp.EQ(
        this=exp.Anonymous(this="SIZE", expressions=[values.copy()]), expression=exp.Literal.number(0)
    )
    known = exp.and_(
        exp.not_(exp.Is(this=values.copy(), expression=exp.null())),
        exp.or_(exp.not_(exp.Is(this=value.copy(), expression=exp.null())), empty),
    )
    fallback = exp.Case(ifs=[exp.If(this=known, true=exp.false())], default=exp.null())
    return exp.Coalesce(this=node, expressions=[fallback])


@handles(exp.Flatten)
def lower_flatten(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """flatten(l): DuckDB skips NULL inner lists; Spark's FLATTEN returns NULL. Rendered as
    ``FLATTEN(FILTER(l, e -> e IS NOT NULL))``."""
    if not isinstance(node, exp.Flatten):
        return node
    return exp.Flatten(this=_not_null_elements(node.this))
