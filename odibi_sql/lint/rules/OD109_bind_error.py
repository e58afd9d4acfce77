from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.binder import BindKind
from odibi_sql.lint.rule import BindRule


class BindErrorRule(BindRule):
    """DuckDB cannot bind the query.

    Every other error DuckDB's binder raises for the compiled node (against empty upstream
    tables): wrong number of arguments, invalid window frames, set operations with different
    column counts, and so on.

    **Anti-pattern**: ``select id from a union all select id, name from b``

    **Best practice**: fix the query until ``odibi-sql lint`` is clean; the message is DuckDB's.
    """

    code = "OD109"
    name = "bind-error"
    severity = Severity.ERROR
    kind = BindKind.OTHER
