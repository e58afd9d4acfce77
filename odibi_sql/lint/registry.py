"""Every rule, collected from the modules of ``odibi_sql/lint/rules/`` (one rule class each)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from odibi_sql.lint import rules as rules_package
from odibi_sql.lint.rule import Rule


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """The rule classes, sorted by code; a duplicate code is a programming error."""
    found: dict[str, type[Rule]] = {}
    for module_info in pkgutil.iter_modules(rules_package.__path__):
        module = importlib.import_module(f"{rules_package.__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__:
                if value.code in found:
                    raise RuntimeError(f"lint rule code {value.code} is used twice")
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


def rule_by_key() -> dict[str, type[Rule]]:
    """Rules by code and by name (both are accepted in configuration and ``noqa``)."""
    out: dict[str, type[Rule]] = {}
    for rule in all_rules():
        out[rule.code] = rule
        out[rule.name] = rule
    return out
