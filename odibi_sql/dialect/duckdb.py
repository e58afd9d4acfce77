"""The DuckDB lowering: the canonical AST already is DuckDB, so only builder-made nodes need care."""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import DialectLowering, snippet


def check_insert_overwrite(node: exp.Expr, caps: Capabilities) -> str | None:
    """INSERT OVERWRITE: sqlglot renders it for DuckDB, which has no such statement.

    DuckDB's nearest forms are not equivalent (INSERT OR REPLACE needs a primary key and keeps
    the other rows; CREATE OR REPLACE TABLE drops constraints), so nothing is rewritten: the
    planner replaces rows with DELETE + INSERT in one transaction (``insert_overwrite:
    delete_insert`` in ``dialects/duckdb.yaml``).
    """
    if isinstance(node, exp.Insert) and node.args.get("overwrite"):
        return (
            f"INSERT OVERWRITE does not exist in DuckDB; use DELETE then INSERT in one transaction "
            f"(the planner does this for mode: insert_overwrite) ({snippet(node, 60)})"
        )
    return None


LOWERING = DialectLowering(steps=(), checks=(check_insert_overwrite,))
