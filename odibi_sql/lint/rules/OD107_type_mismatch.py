from __future__ import annotations

from sqlglot import exp

from odibi_sql.diagnostics import Location, Severity
from odibi_sql.lint.binder import BindKind, BindProblem
from odibi_sql.lint.context import LintNode
from odibi_sql.lint.rule import BindRule

_OPERATORS: dict[str, type[exp.Expression]] = {
    "+": exp.Add,
    "-": exp.Sub,
    "*": exp.Mul,
    "/": exp.Div,
    "%": exp.Mod,
    "||": exp.DPipe,
}


class TypeMismatchRule(BindRule):
    """No function or operator accepts the argument types.

    Found by binding the compiled node on DuckDB against empty upstream tables with the
    upstream's real column types.

    **Anti-pattern**: ``select amount + status from ...`` (DECIMAL + VARCHAR), or
    ``sum(category)`` over a VARCHAR column.

    **Best practice**: cast explicitly where a value changes type:
    ``amount + cast(status_code as integer)``, or fix the upstream column's type.
    """

    code = "OD107"
    name = "type-mismatch"
    severity = Severity.ERROR
    kind = BindKind.TYPE_MISMATCH
    hint = "cast the argument to the type the function expects"

    def locate(self, node: LintNode, problem: BindProblem) -> Location:
        operator = _OPERATORS.get(problem.name or "")
        if operator is not None and node.source is not None:
            return node.locate(node.source.find(operator))
        return super().locate(node, problem)
