from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.binder import BindKind
from odibi_sql.lint.rule import BindRule


class UnknownFunctionRule(BindRule):
    """A function does not exist in DuckDB.

    Found by binding the compiled node on an in-memory DuckDB against empty tables of its
    upstream schemas; the message carries DuckDB's closest match.

    **Anti-pattern**: ``select tolower(name) from {{ ref('customers') }}``

    **Best practice**: use the function DuckDB knows (``lower(name)``), or a macro that expands
    to it.
    """

    code = "OD106"
    name = "unknown-function"
    severity = Severity.ERROR
    kind = BindKind.UNKNOWN_FUNCTION
    hint = "check the function name against DuckDB's function list"
