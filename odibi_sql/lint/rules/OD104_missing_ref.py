from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.rule import DiagnosticRule


class MissingRefRule(DiagnosticRule):
    """A ref() or inputs entry names a node that does not exist.

    Found while compiling; the node is not compiled further, so other rules skip it.

    **Anti-pattern**: ``from {{ ref('order_labeled') }}`` when the node is ``orders_labeled``.

    **Best practice**: ref an existing node (the message suggests the closest name).
    """

    code = "OD104"
    name = "missing-ref"
    severity = Severity.ERROR
