"""The rule contract: a stable code, a name, a default severity, a docstring, and checks.

A rule's docstring is its documentation, in a fixed order: the first line is the one-line
message, then an **Anti-pattern** block and a **Best practice** block (``docs/lint.md`` is
generated from them). ``check_node`` runs once per selected node that has something to check;
``check_project`` once per lint run. Both yield ``Violation``s; the engine turns them into
``Finding``s with the rule's code, name and configured severity.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from odibi_sql.diagnostics import Location, Severity

if TYPE_CHECKING:
    from odibi_sql.lint.context import LintContext, LintNode


@dataclass(frozen=True)
class Violation:
    """What a rule found: the specific message, where, and how to fix it."""

    message: str
    location: Location
    node: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Finding:
    """A violation as reported: rule code and name, severity after configuration, source line."""

    code: str
    rule: str
    severity: Severity
    message: str
    location: Location
    node: str | None = None
    hint: str | None = None
    source_line: str | None = None

    def as_record(self) -> dict:
        """The JSON form every output format starts from."""
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.location.file,
            "line": self.location.line,
            "col": self.location.col,
            "node": self.node,
            "hint": self.hint,
        }


class Rule:
    """Base of every lint rule; subclasses in ``odibi_sql/lint/rules/`` register themselves."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR

    def check_node(self, node: LintNode, ctx: LintContext) -> Iterable[Violation]:
        return ()

    def check_project(self, ctx: LintContext) -> Iterable[Violation]:
        return ()

    @classmethod
    def message(cls) -> str:
        """The one-line message: the first line of the docstring."""
        return inspect.getdoc(cls).splitlines()[0]

    @classmethod
    def description(cls) -> str:
        """The docstring after its first line (anti-pattern and best practice)."""
        return "\n".join(inspect.getdoc(cls).splitlines()[1:]).strip()


class DiagnosticRule(Rule):
    """Base of the rules that report what the compiler found (the diagnostics carrying their code)."""

    diagnostic_code: ClassVar[str | None] = None
    """The compiler's code for these diagnostics, when it is not the rule's own code."""

    def check_project(self, ctx: LintContext) -> Iterable[Violation]:
        wanted = self.diagnostic_code or self.code
        for diagnostic in ctx.diagnostics:
            if diagnostic.code != wanted or diagnostic.severity is not Severity.ERROR:
                continue
            node = ctx.nodes.get(diagnostic.node or "")
            if diagnostic.node is not None and node is None:
                continue  # not selected
            location = diagnostic.location or (node.sql_location if node else Location("odibi_project.yaml"))
            yield Violation(diagnostic.message, location, diagnostic.node, diagnostic.hint)


class BindRule(Rule):
    """Base of the rules that report what binding against empty upstream tables found."""

    kind: ClassVar[str]
    hint: ClassVar[str | None] = None

    def check_node(self, node: LintNode, ctx: LintContext) -> Iterable[Violation]:
        for problem in node.bind_problems:
            if problem.kind != self.kind:
                continue
            where = " (in the incremental query)" if problem.incremental else ""
            yield Violation(problem.message + where, self.locate(node, problem), node.name, self.hint)

    def locate(self, node: LintNode, problem) -> Location:
        return node.locate_name(problem.name) if problem.name else node.sql_location
