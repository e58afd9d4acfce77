"""The high-water mark as a typed literal in the incremental query.

The compiled incremental query compares against the target's watermark as a subquery,
``col > (SELECT MAX(col) FROM target) OR (SELECT MAX(col) FROM target) IS NULL``. Such a filter
cannot reach the source's scan, so every source row is read. The runner reads the watermark
before planning (``read_query``), and ``resolve`` puts its value in as a literal of the target
column's type: ``col > CAST('2024-07-01 23:59:59' AS TIMESTAMP)``, which the engine pushes into
the scan (parquet statistics skip old files). An empty target has no watermark: every row
qualifies, as before (the ``IS NULL`` test becomes TRUE).
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import ParseError

from odibi_sql.plan import statements as sql
from odibi_sql.plan.state import Watermark


def read_query(table: exp.Table, column: str) -> exp.Select:
    """``SELECT MAX(col), CAST(MAX(col) AS TEXT) FROM table``: the value (for run results) and its
    text in the engine's own format (which casts back to the same value)."""
    latest = exp.Max(this=sql.col(column))
    return exp.select(latest, exp.cast(latest.copy(), exp.DataType.build("TEXT"))).from_(table.copy())


def resolve(
    query: exp.Query, table: exp.Table, column: str, watermark: Watermark, type_sql: str | None, dialect: str
) -> exp.Query:
    """``query`` with each ``(SELECT MAX(column) FROM table)`` replaced by the watermark as a literal
    of type ``type_sql`` (the target column's type, in ``dialect``); unchanged when that type is
    unknown. ``query`` itself is not modified."""
    try:
        kind = exp.DataType.build(type_sql, dialect=dialect) if type_sql else None
    except (ParseError, ValueError):
        kind = None
    subqueries = [s for s in query.find_all(exp.Subquery) if _reads_watermark(s, table, column)]
    if kind is None or not subqueries:
        return query
    query = query.copy()
    empty = watermark.text is None
    for subquery in [s for s in query.find_all(exp.Subquery) if _reads_watermark(s, table, column)]:
        parent = subquery.parent
        if isinstance(parent, exp.Is) and parent.this is subquery and isinstance(parent.expression, exp.Null):
            parent.replace(exp.Boolean(this=empty))
        else:
            subquery.replace(_literal(watermark.text, kind))
    for node in reversed(list(query.walk(bfs=False))):
        _fold_boolean(node)
    return query


def _literal(text: str | None, kind: exp.DataType) -> exp.Expression:
    if text is None:
        return exp.cast(exp.null(), kind.copy())
    if kind.is_type(*exp.DataType.INTEGER_TYPES):
        return exp.cast(exp.Literal.number(text), kind.copy())
    return exp.cast(exp.Literal.string(text), kind.copy())


def _reads_watermark(subquery: exp.Subquery, table: exp.Table, column: str) -> bool:
    """Whether ``subquery`` is ``(SELECT MAX(column) FROM table)`` and nothing else."""
    select = subquery.this
    if not isinstance(select, exp.Select) or {k for k, v in select.args.items() if v} != {
        "expressions",
        "from_",
    }:
        return False
    source = select.args["from_"].this
    if len(select.expressions) != 1 or not isinstance(source, exp.Table):
        return False
    latest = select.expressions[0].unalias()
    return (
        isinstance(latest, exp.Max)
        and isinstance(latest.this, exp.Column)
        and latest.this.name == column
        and source.name == table.name
        and source.db == table.db
        and not source.catalog
    )


def _fold_boolean(node: exp.Expression) -> None:
    """Fold the TRUE/FALSE a resolved ``IS NULL`` leaves behind, so the filter is a plain comparison."""
    if isinstance(node, exp.Paren) and isinstance(node.this, exp.Boolean):
        node.replace(node.this)
    elif isinstance(node, exp.Or | exp.And):
        left, right = node.this, node.expression
        absorbing = isinstance(node, exp.Or)  # TRUE absorbs an OR, FALSE an AND
        for side, other in ((left, right), (right, left)):
            if isinstance(side, exp.Boolean):
                node.replace(side if side.this is absorbing else other)
                return
    elif isinstance(node, exp.Not) and isinstance(node.this, exp.Boolean):
        node.replace(exp.Boolean(this=not node.this.this))
