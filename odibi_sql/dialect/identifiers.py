"""Quote identifiers the target dialect's parser cannot read bare.

A step named ``join`` or ``union`` becomes a CTE and a table alias of that name; DuckDB's generator
quotes its own reserved words, Spark's does not, so ``FROM `join` AS join`` fails to parse there.
Names outside the dialect's bare identifier characters fail too: Spark reads only ASCII letters,
digits and ``_``, so a column ``café`` (from a file's header) must be quoted. Both are data
(``reserved_words`` and ``bare_identifier`` in ``dialects/<name>.yaml``).
"""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles


@handles(exp.Identifier)
def quote_unreadable_identifiers(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    if node.args.get("quoted"):
        return node
    name = node.name
    if name.lower() in caps.reserved_words or (
        caps.bare_identifier and not caps.bare_identifier.fullmatch(name)
    ):
        node.set("quoted", True)
    return node
