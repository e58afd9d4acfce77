"""What a dbt model's SQL says about itself: its ``{{ config(...) }}`` call and the names it uses.

The template is parsed (never run) with Jinja; ``config()`` arguments must be literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import nodes

from odibi_sql.diagnostics import Diagnostic, Location
from odibi_sql.project.sandbox import sandbox_environment

_PARSER = sandbox_environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
"""Parses only; sandboxed so that folding constants (``as_const``) cannot build huge values."""


@dataclass
class ModelSQL:
    config: dict[str, Any] = field(default_factory=dict)
    config_lines: dict[str, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    """Global names the template reads, with the line of their first use."""
    attributes: dict[tuple[str, str], int] = field(default_factory=dict)
    """``namespace.macro`` uses (``dbt.dateadd``, ``dbt_utils.star``), with their first line."""


def parse_model_sql(text: str, file: str) -> tuple[ModelSQL, list[Diagnostic]]:
    """Read ``config()`` and the global names of one model or test file."""
    out, problems = ModelSQL(), []
    try:
        tree = _PARSER.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        tag = _unknown_tag(exc.message or "")
        hint = (
            f"dbt's {{% {tag} %}} blocks are not supported in models: move the logic into SQL or a macro"
            if tag
            else "fix the Jinja syntax on this line"
        )
        return out, [
            Diagnostic(f"Jinja syntax error: {exc.message}", Location(file, exc.lineno or 1), hint=hint)
        ]
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    assigned |= {m.name for m in tree.find_all(nodes.Macro)}
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in assigned:
            out.names.setdefault(name.name, name.lineno)
    for attribute in tree.find_all(nodes.Getattr):
        if isinstance(attribute.node, nodes.Name) and attribute.node.name not in assigned:
            out.attributes.setdefault((attribute.node.name, attribute.attr), attribute.lineno)
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "config"):
            continue
        where = Location(file, call.lineno)
        if call.args or call.dyn_args or call.dyn_kwargs:
            problems.append(
                Diagnostic(
                    "config() takes keyword arguments only here",
                    where,
                    hint="write config(materialized='table', ...)",
                )
            )
            continue
        for keyword in call.kwargs:
            try:
                value = keyword.value.as_const()
            except nodes.Impossible:
                problems.append(
                    Diagnostic(
                        f"config({keyword.key}=...) is computed; odibi-sql reads config() values as literals",
                        Location(file, keyword.lineno),
                        hint=f"write the value itself, e.g. {keyword.key}='...', or set it in dbt_project.yml",
                    )
                )
                continue
            out.config[keyword.key] = value
            out.config_lines[keyword.key] = keyword.lineno
    return out, problems


def _unknown_tag(message: str) -> str | None:
    marker = "Encountered unknown tag '"
    if marker in message:
        return message.split(marker, 1)[1].split("'", 1)[0]
    return None
