from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.binder import BindKind
from odibi_sql.lint.rule import BindRule, DiagnosticRule


class UnknownColumnRule(DiagnosticRule, BindRule):
    """A column does not exist in the relations the query reads.

    Found while compiling (qualifying against upstream schemas) or while binding on DuckDB.

    **Anti-pattern**: ``select amout from {{ ref('orders') }}`` (typo; the message lists the candidates).

    **Best practice**: use the names of the upstream node's columns; `odibi-sql ls` and the compiled manifest list them.
    """

    code = "OD102"
    name = "unknown-column"
    severity = Severity.ERROR
    kind = BindKind.UNKNOWN_COLUMN
