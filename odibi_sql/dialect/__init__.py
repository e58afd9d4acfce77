"""The dialect layer: capabilities of each target and the lowering of canonical ASTs into it.

In: a sqlglot AST with DuckDB semantics (the user's SQL is DuckDB SQL). Out: the SQL text for a
target dialect that returns the same rows (``to_sql``), the lowered AST (``lower``), messages for
what the target cannot express (``unsupported``), and the target's ``Capabilities`` (from
``dialects/<name>.yaml``) the planner uses to choose statements.
"""

from odibi_sql.dialect.capabilities import Capabilities, capabilities, known_dialects
from odibi_sql.dialect.lowering import lower, unsupported
from odibi_sql.dialect.render import to_sql

__all__ = ["Capabilities", "capabilities", "known_dialects", "lower", "to_sql", "unsupported"]
