"""Copy a checked AST cheaply.

sqlglot's ``Expression.copy`` deep-copies each node's type annotation as well. After
``annotate_types`` every node carries one, so those copies cost more than the tree itself. Types
are never changed in place (a rewrite sets a new one), so a copy can share them.
"""

from __future__ import annotations

from typing import TypeVar

from sqlglot import exp

E = TypeVar("E", bound=exp.Expr)


def copy_tree(root: E) -> E:
    """A deep copy of ``root`` whose nodes share the original's type annotations."""
    top = root.__class__()
    stack: list[tuple[exp.Expr, exp.Expr]] = [(root, top)]
    while stack:
        node, copy = stack.pop()
        copy._type = node._type
        if node.comments is not None:
            copy.comments = list(node.comments)
        if node._meta is not None:
            copy._meta = dict(node._meta)
        args = copy.args
        for key, value in node.args.items():
            if isinstance(value, exp.Expr):
                child = value.__class__()
                stack.append((value, child))
                copy.set(key, child)
            elif type(value) is list:
                items: list = []
                for index, item in enumerate(value):
                    if isinstance(item, exp.Expr):
                        child = item.__class__()
                        stack.append((item, child))
                        child.parent, child.arg_key, child.index = copy, key, index
                    else:
                        child = item
                    items.append(child)
                args[key] = items
            else:
                args[key] = value
    return top
