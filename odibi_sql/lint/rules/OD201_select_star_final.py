from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.context import LintContext, LintNode
from odibi_sql.lint.rule import Rule, Violation
from odibi_sql.project.node_spec import Materialized


class SelectStarFinalRule(Rule):
    """A final-layer node selects ``*``.

    A node nothing else reads is what dashboards and consumers see; with ``*`` its columns
    change whenever an upstream node changes, silently breaking them. ``*`` inside CTEs and
    subqueries is fine.

    **Anti-pattern**: ``select * from {{ ref('revenue_by_state') }}`` in a gold node.

    **Best practice**: list the columns the consumers rely on.
    """

    code = "OD201"
    name = "select-star-final"
    severity = Severity.WARNING

    def check_node(self, node: LintNode, ctx: LintContext) -> Iterable[Violation]:
        if ctx.children(node.name) or node.definition.spec.read is not None:
            return
        if node.materialized is Materialized.EPHEMERAL or node.source is None or node.compiled is None:
            return
        for select in _outer_selects(node.source):
            for projection in select.expressions:
                if projection.is_star:
                    yield Violation(
                        f"SELECT {projection.sql()} in a final-layer node: its columns change with its upstream",
                        node.locate(projection),
                        node.name,
                        "list the columns explicitly",
                    )


def _outer_selects(query: exp.Expression) -> Iterable[exp.Select]:
    if isinstance(query, exp.SetOperation):
        yield from _outer_selects(query.left)
        yield from _outer_selects(query.right)
    elif isinstance(query, exp.Select):
        yield query
    elif isinstance(query, exp.Subquery):
        yield from _outer_selects(query.this)
