from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.context import LintContext, LintNode
from odibi_sql.lint.rule import Rule, Violation


class JoinWithoutConditionRule(Rule):
    """A join has no condition: every row pairs with every row.

    Reports ``JOIN`` without ``ON``/``USING`` and comma joins whose ``WHERE`` never mentions
    the joined relation. An explicit ``CROSS JOIN``, ``NATURAL``/``POSITIONAL`` joins and
    joins to ``unnest``/lateral table functions say what they mean and pass.

    **Anti-pattern**: ``select ... from {{ ref('orders') }} o, {{ ref('customers') }} c``

    **Best practice**: ``join {{ ref('customers') }} c on o.customer_id = c.customer_id``;
    write ``cross join`` when the product is intended.
    """

    code = "OD111"
    name = "join-without-condition"
    severity = Severity.WARNING

    def check_node(self, node: LintNode, ctx: LintContext) -> Iterable[Violation]:
        if node.source is None:
            return
        for select in node.source.find_all(exp.Select):
            for join in select.args.get("joins") or ():
                if _has_condition(join, select):
                    continue
                target = join.this.alias_or_name if isinstance(join.this, exp.Table) else join.this.sql()
                yield Violation(
                    f"join to {_display(target)} has no condition: it pairs every row with every row",
                    node.locate(join),
                    node.name,
                    "add ON <condition> (or USING (...)); write CROSS JOIN if the product is intended",
                )


def _has_condition(join: exp.Join, select: exp.Select) -> bool:
    if join.args.get("on") is not None or join.args.get("using"):
        return True
    if (join.args.get("kind") or "").upper() == "CROSS" or join.args.get("method"):
        return True
    relation = join.this
    if isinstance(relation, exp.Unnest | exp.Lateral) or isinstance(relation.this, exp.Func | exp.Unnest):
        return True
    if join.args.get("side") or join.args.get("kind"):
        return False  # LEFT/INNER JOIN without ON
    where = select.args.get("where")
    alias = relation.alias_or_name
    return where is not None and any(c.table == alias for c in where.find_all(exp.Column))


def _display(name: str) -> str:
    from odibi_sql.render.context import REF_PREFIX

    return f"ref('{name.removeprefix(REF_PREFIX)}')" if name.startswith(REF_PREFIX) else name
