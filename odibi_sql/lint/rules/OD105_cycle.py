from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.rule import DiagnosticRule


class CycleRule(DiagnosticRule):
    """The nodes form a cycle.

    Found while compiling; the node is not compiled further, so other rules skip it.

    **Anti-pattern**: ``a`` reads ``b`` and ``b`` reads ``a``, directly or through others.

    **Best practice**: break the cycle; to read a node's own target use ``{{ this }}``.
    """

    code = "OD105"
    name = "cycle"
    severity = Severity.ERROR
