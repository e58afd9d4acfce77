from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.context import LintContext, LintNode
from odibi_sql.lint.rule import Rule, Violation


class UnusedCteRule(Rule):
    """A CTE is defined but never read.

    Dead SQL: it costs a reader's time, may still be computed by some engines, and often
    means the query reads the wrong CTE.

    **Anti-pattern**: ``with recent as (...), totals as (...) select * from totals``
    where ``recent`` is never used.

    **Best practice**: delete it, or read it where it was meant to be read.
    """

    code = "OD202"
    name = "unused-cte"
    severity = Severity.WARNING

    def check_node(self, node: LintNode, ctx: LintContext) -> Iterable[Violation]:
        if node.source is None:
            return
        for with_ in node.source.find_all(exp.With):
            for cte in with_.expressions:
                name = cte.alias_or_name
                readers = [
                    t
                    for t in node.source.find_all(exp.Table)
                    if not t.args.get("db") and t.name == name and not _inside(t, cte)
                ]
                if not readers:
                    yield Violation(
                        f"CTE {name} is defined but never used",
                        node.locate(cte.args.get("alias") or cte),
                        node.name,
                        "remove it, or read it where it was meant to be read",
                    )


def _inside(node: exp.Expression, ancestor: exp.Expression) -> bool:
    parent = node.parent
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent
    return False
