"""docs/lint.md lists every rule as the registry describes it."""

from __future__ import annotations

from pathlib import Path

from odibi_sql.lint.reference import update
from odibi_sql.lint.registry import all_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "lint.md"


def test_docs_rules_reference_is_current():
    text = DOC.read_text(encoding="utf-8")
    assert text == update(text), "run: python -m odibi_sql.lint.reference docs/lint.md"
    for rule in all_rules():
        assert f"### {rule.code} `{rule.name}`" in text
