from __future__ import annotations

from collections.abc import Iterable

from odibi_sql.diagnostics import Location, Severity
from odibi_sql.lint.context import LintContext
from odibi_sql.lint.rule import Rule, Violation


class PortabilityWarningRule(Rule):
    """A construct may differ on a linted dialect for some values, or the node is not checked.

    Nodes marked ``portability: unchecked`` are compiled for Spark without checking their constructs.

    The portability registry flags what engines' libraries compute differently on some inputs,
    such as ``upper()`` / ``lower()`` on some non-ASCII letters (ß, İ, final sigma).

    **Anti-pattern**: ``upper(name)`` on names from many languages in a project that runs on Spark.

    **Best practice**: check the values concerned, or normalize them upstream.
    """

    code = "OD303"
    name = "portability-warning"
    severity = Severity.WARNING

    def check_project(self, ctx: LintContext) -> Iterable[Violation]:
        for diagnostic in ctx.diagnostics:
            if diagnostic.code != "OD302" or diagnostic.severity is not Severity.WARNING:
                continue
            node = ctx.nodes.get(diagnostic.node or "")
            if diagnostic.node is not None and node is None:
                continue
            location = diagnostic.location or (node.sql_location if node else Location("odibi_project.yaml"))
            yield Violation(diagnostic.message, location, diagnostic.node, diagnostic.hint)
