"""Machine output: ``{"findings": [records], "summary": {...}}``, one record per finding."""

from __future__ import annotations

import json

from odibi_sql.lint.engine import LintReport


def render(report: LintReport) -> str:
    document = {
        "findings": [finding.as_record() for finding in report.findings],
        "summary": {
            "nodes": len(report.nodes),
            "dialects": list(report.dialects),
            "errors": report.errors,
            "warnings": report.warnings,
            "suppressed": report.suppressed,
        },
    }
    return json.dumps(document, indent=2)
