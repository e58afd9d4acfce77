"""Human output: one block per finding (location, severity, code, message, the source line with a
caret, the fix), then a summary line. Returned as lines of ``(text, style)`` segments."""

from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.engine import LintReport
from odibi_sql.lint.rule import Finding

Segment = tuple[str, str]
Line = list[Segment]

_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def render(report: LintReport) -> list[Line]:
    lines: list[Line] = []
    for finding in report.findings:
        lines.extend(_finding(finding))
    lines.append(_summary(report))
    return lines


def _finding(finding: Finding) -> list[Line]:
    style = _STYLE[finding.severity]
    node = f"[{finding.node}] " if finding.node else ""
    out: list[Line] = [
        [
            (f"{finding.location}: ", "bold"),
            (f"{finding.severity.value} ", style),
            (f"{finding.code} ", style + " bold"),
            (f"{node}{finding.message} ", ""),
            (f"({finding.rule})", "dim"),
        ]
    ]
    if finding.source_line is not None:
        out.append([(f"    {finding.source_line.rstrip()}", "")])
        if finding.location.col:
            out.append([(" " * (finding.location.col - 1 + 4) + "^", style)])
    if finding.hint:
        out.append([("  to fix: ", "dim"), (finding.hint, "")])
    return out


def _summary(report: LintReport) -> Line:
    nodes = len(report.nodes)
    head = f"Linted {nodes} node{'s' if nodes != 1 else ''}"
    if report.dialects:
        head += f" for {', '.join(report.dialects)}"
    if not report.findings:
        text = f"{head}: no problems found"
    else:
        text = f"{head}: {report.errors} error{'s' if report.errors != 1 else ''}, "
        text += f"{report.warnings} warning{'s' if report.warnings != 1 else ''}"
    if report.suppressed:
        text += f" ({report.suppressed} suppressed by noqa)"
    style = "red" if report.errors else ("yellow" if report.warnings else "green")
    return [("\n" if report.findings else "", ""), (text, style)]
