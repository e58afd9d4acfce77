"""Lower the canonical AST (DuckDB SQL, DuckDB semantics) into an AST that means the same in a dialect.

A dialect's lowering is an ordered list of small named functions, each AST -> AST and each fixing
one documented difference between DuckDB and that dialect (the shape of sqlglot's
``transforms.preprocess([...])``). They run bottom-up over a copy of the tree: a function sees a
node whose children are already lowered and returns it unchanged or a replacement.

``unsupported`` is the other half: human messages for constructs that cannot be expressed in the
dialect, or not without information the AST lacks. Lowering never rewrites those into something
that merely looks right; it leaves them alone and lint reports the messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from sqlglot import exp

from odibi_sql.dialect._types import duck_type
from odibi_sql.dialect.capabilities import Capabilities, capabilities

Lowering = Callable[[exp.Expr, Capabilities], exp.Expr]
"""A named lowering step: receives one node (children already lowered) and returns it or a replacement."""

Check = Callable[[exp.Expr, Capabilities], str | None]
"""A named check: receives one node of the canonical AST and returns a message when it cannot be expressed."""


@dataclass(frozen=True)
class DialectLowering:
    """The lowering steps and checks of one dialect, in the order they apply."""

    steps: Sequence[Lowering] = ()
    checks: Sequence[Check] = field(default=())


@cache
def _lowering_for(dialect: str) -> DialectLowering:
    capabilities(dialect)  # unknown dialect -> ValueError listing the known ones
    if dialect == "spark":
        from odibi_sql.dialect import spark

        return spark.LOWERING
    if dialect == "duckdb":
        from odibi_sql.dialect import duckdb

        return duckdb.LOWERING
    return DialectLowering()


def lower(expression: exp.Expression, dialect: str) -> exp.Expression:
    """A copy of ``expression`` (canonical DuckDB AST) rewritten to mean the same in ``dialect``."""
    caps = capabilities(dialect)
    tree = expression.copy()
    for step in _lowering_for(dialect).steps:
        tree = apply_bottom_up(tree, lambda node, step=step: step(node, caps))
    return tree


def unsupported(expression: exp.Expression, dialect: str) -> list[str]:
    """Messages for the constructs of ``expression`` that ``dialect`` cannot express (empty: none)."""
    caps = capabilities(dialect)
    messages: list[str] = []
    for node in expression.walk():
        for check in _lowering_for(dialect).checks:
            message = check(node, caps)
            if message and message not in messages:
                messages.append(message)
    return messages


def apply_bottom_up(tree: exp.Expr, function: Callable[[exp.Expr], exp.Expr]) -> exp.Expr:
    """Apply ``function`` to every node, children before parents, replacing nodes in place.

    A replacement that has no type of its own gets the DuckDB type of the node it replaces (as far
    as ``duck_type`` tells), so lowerings of the parents can still tell what the value is.
    """
    root = tree
    for node in reversed(list(tree.walk(bfs=False))):
        parent, key, index = node.parent, node.arg_key, node.index
        known = duck_type(node)
        new = function(node)
        if new is node:
            continue
        if new.type is None and known is not None:
            new.type = known
        if node is root:
            root = new
            new.parent = None
        else:
            parent.set(key, new, index)
    return root


def snippet(node: exp.Expr, limit: int = 80) -> str:
    """The DuckDB SQL of ``node``, shortened for a message."""
    text = node.sql(dialect="duckdb")
    return text if len(text) <= limit else text[: limit - 3] + "..."
