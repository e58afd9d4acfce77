"""Run the lint rules over a project: tolerant compile, bind on DuckDB, rules, noqa, severities."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from odibi_sql.compile.compiler import CompiledProject, build_graph, compile_project
from odibi_sql.compile.parallel import start_forked
from odibi_sql.diagnostics import Diagnostic, Location, Severity
from odibi_sql.graph.selection import select as select_nodes
from odibi_sql.lint.binder import bind_project
from odibi_sql.lint.context import LintContext, LintNode
from odibi_sql.lint.noqa import suppressed
from odibi_sql.lint.rule import BindRule, Finding, Rule, Violation
from odibi_sql.lint.settings import RuleSetting, resolve_settings
from odibi_sql.project.loader import Project


@dataclass
class LintReport:
    findings: list[Finding]
    nodes: list[str]
    """The nodes linted."""
    rules: list[RuleSetting]
    dialects: tuple[str, ...]
    suppressed: int = 0
    """Findings silenced by ``-- noqa``."""

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def exit_code(self) -> int:
        """0 clean or warnings only, 1 errors found."""
        return 1 if self.errors else 0


def lint_project(
    project: Project,
    select: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    dialects: Sequence[str] | None = None,
    checks: Callable[[CompiledProject, Sequence[str]], list[Diagnostic]] | None = None,
) -> LintReport:
    """Lint the selected nodes (default: all) for ``dialects`` (default: the target's).

    ``checks`` adds the problems a run would refuse (write settings, data tests) of the nodes
    that compiled; they are reported as compile errors (OD100)."""
    settings = resolve_settings(project)
    enabled = [s for s in settings if s.enabled]
    dialects = tuple(dialects or (project.target.dialect,))
    graph = build_graph(project, tolerant=True)
    names = select_nodes(project, graph.dag, select, exclude, None)
    compiled = compile_project(  # binder input; portability checked for the linted dialects
        project, ("duckdb",), only=names, graph=graph, tolerant=True, portable_for=dialects
    )
    nodes = {
        name: LintNode(
            definition=project.nodes[name],
            materialized=project.materialized(name),
            rendered=graph.renders.get(name),
            compiled=compiled.nodes.get(name),
            read_dialect=project.config.sql_dialect,
        )
        for name in names
    }
    diagnostics = list(compiled.diagnostics)
    if checks is not None:
        diagnostics += checks(compiled, [n for n in names if n in compiled.nodes])
    ctx = LintContext(project, compiled, nodes, dialects, diagnostics, graph.renders)
    lines = _SourceLines(project.root)
    report = LintReport([], list(names), settings, dialects)
    rules = {s.rule.code: (s.rule(), s.severity) for s in enabled}
    ast_rules = {code: rule for code, (rule, _) in rules.items() if not isinstance(rule, BindRule)}
    bind_rules = {code: rule for code, (rule, _) in rules.items() if isinstance(rule, BindRule)}

    def check(name: str, rules: dict[str, Rule]) -> list[tuple[str, Violation]]:
        return [(code, v) for code, rule in rules.items() for v in rule.check_node(nodes[name], ctx)]

    # the AST rules (parsing included) run in forked children while this process binds on DuckDB
    checked = start_forked(list(nodes), functools.partial(check, rules=ast_rules))
    if bind_rules:
        for name, problems in bind_project(compiled).items():
            if name in nodes:
                nodes[name].bind_problems = problems
    violations = [(code, v) for code, (rule, _) in rules.items() for v in rule.check_project(ctx)]
    for found in checked.join():
        violations.extend(found)
    for name in nodes:
        violations.extend(check(name, bind_rules))
    for code, violation in violations:
        rule, severity = rules[code]
        line = lines.get(violation.location)
        if suppressed(line, rule.code, rule.name):
            report.suppressed += 1
            continue
        report.findings.append(_finding(rule, severity, violation, line))
    report.findings = sorted(set(report.findings), key=_order)
    return report


def _finding(rule: Rule, severity: Severity, violation: Violation, line: str | None) -> Finding:
    return Finding(
        code=rule.code,
        rule=rule.name,
        severity=severity,
        message=violation.message,
        location=violation.location,
        node=violation.node,
        hint=violation.hint,
        source_line=line,
    )


def _order(finding: Finding) -> tuple:
    loc = finding.location
    return (loc.file, loc.line, loc.col, finding.code, finding.message)


class _SourceLines:
    """The text of the lines findings point at (for noqa and the snippet), read once per file."""

    def __init__(self, root: Path):
        self.root = root
        self.files: dict[str, list[str]] = {}

    def get(self, location: Location) -> str | None:
        if not location.line:
            return None
        if location.file not in self.files:
            path = self.root / location.file
            try:
                self.files[location.file] = path.read_text(encoding="utf-8").splitlines()
            except OSError:
                self.files[location.file] = []
        lines = self.files[location.file]
        return lines[location.line - 1] if location.line <= len(lines) else None
