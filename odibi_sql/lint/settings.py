"""Which rules run and at what severity: rule defaults, overridden by ``lint.rules`` in the project."""

from __future__ import annotations

from dataclasses import dataclass

from odibi_sql.diagnostics import Diagnostic, Location, ProjectError, Severity, did_you_mean
from odibi_sql.lint.registry import all_rules, rule_by_key
from odibi_sql.lint.rule import Rule
from odibi_sql.project.loader import PROJECT_FILE, Project
from odibi_sql.project.yaml_loader import YamlError, load_yaml


@dataclass(frozen=True)
class RuleSetting:
    rule: type[Rule]
    enabled: bool
    severity: Severity


def resolve_settings(project: Project) -> list[RuleSetting]:
    """Every rule with its setting; an unknown rule key in ``lint.rules`` is a ``ProjectError``."""
    known = rule_by_key()
    configured: dict[str, tuple[bool, Severity | None]] = {}
    problems: list[Diagnostic] = []
    for key, value in project.config.lint.rules.items():
        rule = known.get(key)
        if rule is None:
            codes = [r.code for r in all_rules()] + [r.name for r in all_rules()]
            problems.append(
                Diagnostic(
                    f"lint.rules: unknown rule '{key}'.{did_you_mean(key, codes)}",
                    _locate(project, key),
                    hint="rules are named by code (e.g. OD201) or name; `docs/lint.md` lists them",
                )
            )
            continue
        configured[rule.code] = (value.enabled, Severity(value.severity) if value.severity else None)
    if problems:
        raise ProjectError(problems)
    settings = []
    for rule in all_rules():
        enabled, severity = configured.get(rule.code, (True, None))
        settings.append(RuleSetting(rule, enabled, severity or rule.severity))
    return settings


def _locate(project: Project, key: str) -> Location:
    try:
        doc = load_yaml(project.root / PROJECT_FILE, PROJECT_FILE)
    except YamlError:
        return Location(PROJECT_FILE)
    return doc.positions.get(("lint", "rules", key, "__key__")) or doc.locate(("lint", "rules", key))
