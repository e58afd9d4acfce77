"""SARIF 2.1.0 (the format code-scanning tools read): one run, the rules as its driver's rules,
one result per finding."""

from __future__ import annotations

import json

from odibi_sql import __version__
from odibi_sql.diagnostics import Severity
from odibi_sql.lint.engine import LintReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def render(report: LintReport) -> str:
    return json.dumps(sarif_log(report), indent=2)


def sarif_log(report: LintReport) -> dict:
    settings = [s for s in report.rules if s.enabled]
    index = {s.rule.code: i for i, s in enumerate(settings)}
    rules = [
        {
            "id": s.rule.code,
            "name": s.rule.name,
            "shortDescription": {"text": s.rule.message()},
            "fullDescription": {"text": s.rule.description()},
            "help": {"text": s.rule.description()},
            "defaultConfiguration": {"level": _LEVEL[s.severity]},
        }
        for s in settings
    ]
    results = []
    for finding in report.findings:
        region: dict = {}
        if finding.location.line:
            region["startLine"] = finding.location.line
            if finding.location.col:
                region["startColumn"] = finding.location.col
        physical: dict = {"artifactLocation": {"uri": finding.location.file}}
        if region:
            physical["region"] = region
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": _LEVEL[finding.severity],
                "message": {"text": finding.message + (f" To fix: {finding.hint}." if finding.hint else "")},
                "locations": [{"physicalLocation": physical}],
            }
        )
    driver = {"name": "odibi-sql", "version": __version__, "rules": rules}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
