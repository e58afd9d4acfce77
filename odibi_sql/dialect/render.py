"""Render a canonical AST as SQL text for a dialect: lower, then generate with sqlglot."""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect.capabilities import capabilities
from odibi_sql.dialect.lowering import lower, needs_lowering
from odibi_sql.dialect.tree import copy_tree


def to_sql(expression: exp.Expression, dialect: str, pretty: bool = False) -> str:
    """The SQL of ``expression`` (canonical DuckDB AST) for ``dialect``; the input is not modified."""
    caps = capabilities(dialect)
    tree = lower(expression, dialect) if needs_lowering(dialect) else copy_tree(expression)
    return tree.sql(dialect=caps.sqlglot_dialect, pretty=pretty, copy=False)
