"""Pass/fail cases per rule: ``cases/<CODE>.yaml`` holds small projects and the findings of that
rule each must produce (an empty list: none). Run through ``lint_project`` on real DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from odibi_sql.lint import lint_project
from odibi_sql.lint.registry import all_rules
from odibi_sql.project.loader import load_project

CASES = Path(__file__).parent / "cases"


def _cases():
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(path.stem, case, id=f"{path.stem}-{case['name']}")


@pytest.mark.parametrize(("code", "case"), list(_cases()))
def test_rule_case(code, case, make_project):
    project = load_project(make_project(case["files"]))
    report = lint_project(project, select=case.get("select"), dialects=case.get("dialects"))
    found = [f for f in report.findings if f.code == code]
    assert [str(f.location) for f in found] == [e["at"] for e in case["expect"]], [
        (str(f.location), f.message) for f in found
    ]
    for finding, expected in zip(found, case["expect"], strict=True):
        assert expected["message"] in finding.message
        assert finding.severity.value == expected.get("severity", all_rules_by_code()[code].severity.value)
        if "node" in expected:
            assert finding.node == expected["node"]


def all_rules_by_code():
    return {rule.code: rule for rule in all_rules()}


def test_every_rule_has_cases_that_pass_and_fail():
    for rule in all_rules():
        path = CASES / f"{rule.code}.yaml"
        assert path.is_file(), f"no cases for {rule.code}"
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert any(c["expect"] for c in cases), f"{rule.code}: no failing case"
        assert any(not c["expect"] for c in cases), f"{rule.code}: no passing case"


def test_every_rule_documents_itself():
    codes = [rule.code for rule in all_rules()]
    assert len(codes) == len(set(codes))
    for rule in all_rules():
        assert rule.code[:3] in ("OD1", "OD2", "OD3") and len(rule.code) == 5
        assert rule.message().endswith(".")
        assert "**Anti-pattern**" in rule.description() and "**Best practice**" in rule.description()
