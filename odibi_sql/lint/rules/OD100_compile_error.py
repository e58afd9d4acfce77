from __future__ import annotations

from collections.abc import Iterable

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.context import LintContext
from odibi_sql.lint.rule import DiagnosticRule, Violation


class CompileErrorRule(DiagnosticRule):
    """The node does not compile.

    Covers every compile problem without a more specific rule: undefined ``var()``, invalid
    transform parameters, unreadable sources, Jinja errors. A selected node whose upstream
    fails is reported as not checked, naming the upstream.

    **Anti-pattern**: ``where amount > {{ var('min_amout') }}`` with no such var.

    **Best practice**: define the var under ``vars:`` in odibi_project.yaml, or give a default:
    ``{{ var('min_amount', 0) }}``.
    """

    code = "OD100"
    name = "compile-error"
    diagnostic_code = "ODB000"  # the compiler's code for problems without a specific one
    severity = Severity.ERROR

    def check_project(self, ctx: LintContext) -> Iterable[Violation]:
        yield from super().check_project(ctx)
        failed = {d.node for d in ctx.diagnostics if d.node and d.severity is Severity.ERROR}
        for name, node in ctx.nodes.items():
            if node.compiled is not None or name in failed:
                continue
            upstream = sorted(ctx.compiled.dag.ancestors(name) & failed)
            if upstream:
                yield Violation(
                    f"not checked: upstream node{'s' if len(upstream) > 1 else ''} "
                    f"{', '.join(upstream)} failed to compile",
                    node.sql_location,
                    name,
                    "fix the upstream nodes (select them too to see why)",
                )
