"""Lower the canonical AST (DuckDB SQL, DuckDB semantics) into an AST that means the same in a dialect.

A dialect's lowering is an ordered list of small named functions, each AST -> AST and each fixing
one documented difference between DuckDB and that dialect (the shape of sqlglot's
``transforms.preprocess([...])``). They run bottom-up over a copy of the tree: a function sees a
node whose children are already lowered and returns it unchanged or a replacement. A step declares
the node types it rewrites (``@handles``), so it only visits those, and trees without them skip it.

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
from odibi_sql.dialect.tree import copy_tree

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


def handles(*types: type[exp.Expr], needs: tuple[type[exp.Expr], ...] = ()) -> Callable[[Lowering], Lowering]:
    """Declare the node types a lowering step can rewrite, and (``needs``) node types without which
    it has nothing to do: trees without any of ``types``, or without any of ``needs``, skip the step."""

    def declare(step: Lowering) -> Lowering:
        step.handles = types  # type: ignore[attr-defined]
        step.needs = needs  # type: ignore[attr-defined]
        return step

    return declare


def lower(expression: exp.Expression, dialect: str) -> exp.Expression:
    """A copy of ``expression`` (canonical DuckDB AST) rewritten to mean the same in ``dialect``."""
    caps = capabilities(dialect)
    tree = copy_tree(expression)
    present = {type(node) for node in tree.walk()}
    for step in _lowering_for(dialect).steps:
        types = getattr(step, "handles", None)
        if types is not None and not any(issubclass(kind, types) for kind in present):
            continue
        needs = getattr(step, "needs", ())
        if needs and not any(issubclass(kind, needs) for kind in present):
            continue
        tree = apply_bottom_up(tree, lambda node, step=step: step(node, caps), types)
        present = {type(node) for node in tree.walk()}  # a step may add nodes of any type
    return tree


def needs_lowering(dialect: str) -> bool:
    """Whether ``dialect`` has lowering steps (if not, the canonical AST renders as it is)."""
    return bool(_lowering_for(dialect).steps)


def unsupported(expression: exp.Expression, dialect: str) -> list[str]:
    """Messages for the constructs of ``expression`` that ``dialect`` cannot express (empty: none)."""
    caps = capabilities(dialect)
    messages: list[str] = []
    checks = _lowering_for(dialect).checks
    for node in expression.walk():
        for check in checks:
            message = check(node, caps)
            if message and message not in messages:
                messages.append(message)
    return messages


def apply_bottom_up(
    tree: exp.Expr, function: Callable[[exp.Expr], exp.Expr], types: tuple[type, ...] | None = None
) -> exp.Expr:
    """Apply ``function`` to every node (of ``types``, if given), children before parents, replacing
    nodes in place.

    A replacement that has no type of its own gets the DuckDB type of the node it replaces (as far
    as ``duck_type`` tells), so lowerings of the parents can still tell what the value is.
    """
    root = tree
    nodes = list(tree.walk(bfs=False))
    for node in reversed(nodes if types is None else [n for n in nodes if isinstance(n, types)]):
        parent, key, index = node.parent, node.arg_key, node.index
        new = function(node)
        if new is node:
            continue
        if new.type is None and (known := duck_type(node)) is not None:
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
