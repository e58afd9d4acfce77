"""GitHub Actions workflow commands: ``::error file=F,line=L,col=C,title=T::message`` per finding,
shown as annotations on the pull request's diff."""

from __future__ import annotations

from odibi_sql.lint.engine import LintReport
from odibi_sql.lint.rule import Finding


def render(report: LintReport) -> str:
    return "".join(annotation(finding) + "\n" for finding in report.findings)


def annotation(finding: Finding) -> str:
    properties = [f"file={_property(finding.location.file)}"]
    if finding.location.line:
        properties.append(f"line={finding.location.line}")
    if finding.location.col:
        properties.append(f"col={finding.location.col}")
    properties.append(f"title={_property(f'{finding.code} {finding.rule}')}")
    message = finding.message + (f" (to fix: {finding.hint})" if finding.hint else "")
    return f"::{finding.severity.value} {','.join(properties)}::{_data(message)}"


def _data(text: str) -> str:
    """Escape a message as the workflow-command parser expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
