from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.rule import DiagnosticRule


class ParseErrorRule(DiagnosticRule):
    """The SQL does not parse.

    Found while compiling; the node is not compiled further, so other rules skip it.

    **Anti-pattern**: ``select id, from t`` or two statements in one node.

    **Best practice**: one SELECT query per node; odibi-sql writes the CREATE/INSERT/MERGE.
    """

    code = "OD101"
    name = "parse-error"
    severity = Severity.ERROR
