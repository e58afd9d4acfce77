"""Quote identifiers that are reserved words of the target dialect.

A step named ``join`` or ``union`` becomes a CTE and a table alias of that name; DuckDB's generator
quotes its own reserved words, Spark's does not, so ``FROM `join` AS join`` fails to parse there.
The reserved words are data (``reserved_words`` in ``dialects/<name>.yaml``).
"""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles


@handles(exp.Identifier)
def quote_reserved_identifiers(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    if not node.args.get("quoted") and node.name.lower() in caps.reserved_words:
        node.set("quoted", True)
    return node
