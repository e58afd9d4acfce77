from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.binder import BindKind
from odibi_sql.lint.rule import BindRule, DiagnosticRule


class AmbiguousColumnRule(DiagnosticRule, BindRule):
    """A column name exists in more than one joined relation.

    Found while compiling (qualifying against upstream schemas) or while binding on DuckDB.

    **Anti-pattern**: ``select customer_id from orders o join customers c on ...``

    **Best practice**: qualify the column with its relation: ``o.customer_id``.
    """

    code = "OD103"
    name = "ambiguous-column"
    severity = Severity.ERROR
    kind = BindKind.AMBIGUOUS_COLUMN
