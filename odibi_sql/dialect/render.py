"""Render a canonical AST as SQL text for a dialect: lower, then generate with sqlglot."""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect.capabilities import capabilities
from odibi_sql.dialect.lowering import lower, needs_lowering
from odibi_sql.dialect.tree import copy_tree


def to_sql(expression: exp.Expression, dialect: str, pretty: bool = False, copy: bool = True) -> str:
    """The SQL of ``expression`` (canonical DuckDB AST) for ``dialect``.

    The input is not modified, unless ``copy=False`` and the dialect needs no lowering: then
    sqlglot may rewrite it while generating (pass that for a statement built just to be rendered).
    """
    caps = capabilities(dialect)
    if needs_lowering(dialect):
        tree = lower(expression, dialect)
    else:
        tree = copy_tree(expression) if copy else expression
    return tree.sql(dialect=caps.sqlglot_dialect, pretty=pretty, copy=False)
