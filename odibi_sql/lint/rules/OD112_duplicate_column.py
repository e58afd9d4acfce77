from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.context import LintContext, LintNode
from odibi_sql.lint.rule import Rule, Violation


class DuplicateColumnRule(Rule):
    """Two output columns have the same name.

    The table or view cannot be created (DuckDB and Spark reject duplicate column names, case
    insensitively), and readers could not tell the columns apart. Checked on the compiled
    query, after ``*`` is expanded and transform steps are applied.

    **Anti-pattern**: ``select o.*, c.* from orders o join customers c using (customer_id)``
    where both have ``updated_at``.

    **Best practice**: alias one of them (``c.updated_at as customer_updated_at``) or leave
    it out (``c.* exclude (updated_at)``).
    """

    code = "OD112"
    name = "duplicate-column"
    severity = Severity.ERROR

    def check_node(self, node: LintNode, ctx: LintContext) -> Iterable[Violation]:
        if node.compiled is None:
            return
        seen: set[str] = set()
        for select in node.compiled.query.selects:
            name = select.alias_or_name
            if name.lower() in seen:
                yield Violation(
                    f'output column "{name}" appears more than once',
                    node.locate(_written(node, name)),
                    node.name,
                    f"alias one of them, e.g. AS {name}_2, or drop it",
                )
            seen.add(name.lower())


def _written(node: LintNode, name: str) -> exp.Expression | None:
    """The second projection of the user's SQL named ``name``, else its last star."""
    if not isinstance(node.source, exp.Select):
        return None
    matches = [e for e in node.source.expressions if e.alias_or_name.lower() == name.lower()]
    if len(matches) > 1:
        return matches[1]
    return next((e for e in reversed(node.source.expressions) if e.is_star), None)
