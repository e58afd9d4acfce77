"""Spark lowering of ``x IN (subquery)`` where its NULL result matters."""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles

_ALIAS, _VALUE = "__odibi_in", "__odibi_value"
_FILTERS = (exp.Where, exp.Having, exp.Qualify, exp.Join)
"""Clauses that keep a row only when their condition is true (NULL and false both drop it)."""


def _only_truth_matters(node: exp.Expr) -> bool:
    """Whether ``node`` is a filter's condition or sits in it under AND / OR only."""
    parent = node.parent
    while isinstance(parent, (exp.And, exp.Or, exp.Paren)):
        parent = parent.parent
    return isinstance(parent, _FILTERS)


def _values(query: exp.Expr, where: exp.Expr | None = None) -> exp.Select:
    """``SELECT __odibi_value FROM (query) AS __odibi_in(__odibi_value) [WHERE ...]``."""
    inner = query.this if isinstance(query, exp.Subquery) else query
    alias = exp.TableAlias(this=exp.to_identifier(_ALIAS), columns=[exp.to_identifier(_VALUE)])
    select = exp.select(exp.column(_VALUE, _ALIAS)).from_(exp.Subquery(this=inner.copy(), alias=alias))
    return select.where(where) if where is not None else select


def _value_is_null(negate: bool = False) -> exp.Expr:
    test = exp.Is(this=exp.column(_VALUE, _ALIAS), expression=exp.null())
    return exp.not_(test) if negate else test


@handles(exp.In)
def lower_in_subquery(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """x IN (subquery): SQL (and DuckDB) gives NULL when x is NULL and the subquery has rows, or
    when x is not found and the subquery holds a NULL; Spark gives false (or true). Outside a
    filter (a SELECT list, under NOT) it is rendered with those cases spelled out::

        CASE WHEN x IS NULL THEN CASE WHEN EXISTS (sub) THEN NULL ELSE FALSE END
             WHEN x IN (non-NULL values of sub) THEN TRUE
             WHEN EXISTS (NULL values of sub) THEN NULL ELSE FALSE END

    As a filter's condition (under AND / OR only) NULL and false both drop the row: left alone.
    """
    query = node.args.get("query")
    if not isinstance(node, exp.In) or query is None or _only_truth_matters(node):
        return node
    value = node.this
    has_rows = exp.Exists(this=_values(query))
    has_null = exp.Exists(this=_values(query, _value_is_null()))
    found = exp.In(this=value.copy(), query=exp.Subquery(this=_values(query, _value_is_null(negate=True))))
    null_value = exp.Case(ifs=[exp.If(this=has_rows, true=exp.null())], default=exp.false())
    return exp.Case(
        ifs=[
            exp.If(this=exp.Is(this=value.copy(), expression=exp.null()), true=null_value),
            exp.If(this=found, true=exp.true()),
            exp.If(this=has_null, true=exp.null()),
        ],
        default=exp.false(),
    )
