"""A dbt project's macros: the files the renderer loads (dbt compatibility macros first) and their names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from odibi_sql.diagnostics import DiagnosticCollector, Location, relative
from odibi_sql.project.files import FileProblem, read_inside
from odibi_sql.project.sandbox import sandbox_environment
from odibi_sql.resources import data_dir

_PARSER = sandbox_environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
"""Parses only; sandboxed so that folding constants (``as_const``) cannot build huge values."""
# dbt macros that decide where relations go or how they are built: odibi-sql keeps dbt's defaults
_OVERRIDES = ("generate_schema_name", "generate_alias_name", "generate_database_name")
_TAGS = {
    "test": "custom generic tests",
    "materialization": "custom materializations",
    "snapshot": "snapshots",
}


@dataclass(frozen=True)
class Macros:
    files: list[Path]
    names: frozenset[str]
    namespaces: dict[str, frozenset[str]]
    """Macros provided under a namespace: ``dbt`` -> {dateadd, ...}, ``dbt_utils`` -> {...}."""


def compat_macro_files(dialect: str) -> list[Path]:
    """``config()`` always; dbt's cross-database and dbt_utils macros (DuckDB SQL) for DuckDB projects."""
    folder = data_dir("macros") / "dbt"
    return sorted(p for p in folder.glob("*.sql") if dialect == "duckdb" or p.name == "config.sql")


def read_macros(root: Path, folders: list[Path], dialect: str, errors: DiagnosticCollector) -> Macros:
    files = compat_macro_files(dialect)
    names: set[str] = set()
    namespaces: dict[str, frozenset[str]] = {}
    for path in [*files, *data_dir("macros").glob("*.sql")]:
        tree = _PARSER.parse(path.read_text(encoding="utf-8"))
        names |= {m.name for m in tree.find_all(nodes.Macro)}
        for assign in tree.find_all(nodes.Assign):
            if isinstance(assign.target, nodes.Name) and isinstance(assign.node, nodes.Call):
                namespaces[assign.target.name] = frozenset(k.key for k in assign.node.kwargs)
    for folder in folders:
        for path in sorted(folder.rglob("*.sql")) if folder.is_dir() else []:
            display = relative(path, root)
            try:
                text = read_inside(path, root, display)
            except FileProblem as exc:
                errors.add(exc.message, Location(display, exc.line), hint=exc.hint)
                continue
            try:
                tree = _PARSER.parse(text)
            except jinja2.TemplateSyntaxError as exc:
                tag = (exc.message or "").split("unknown tag '", 1)[-1].split("'", 1)[0]
                what = _TAGS.get(tag)
                errors.add(
                    f"{what} ({{% {tag} %}}) are not supported"
                    if what
                    else f"macro file does not parse: {exc.message}",
                    Location(display, exc.lineno or 1),
                    hint="remove the block to open the project" if what else "fix the Jinja syntax",
                )
                continue
            for macro in tree.find_all(nodes.Macro):
                if macro.name in _OVERRIDES:
                    errors.add(
                        f"macro {macro.name} overrides dbt's default; odibi-sql names relations as dbt does by default",
                        Location(display, macro.lineno),
                        hint="remove the override (or rename the macro if it is not meant as one)",
                    )
                names.add(macro.name)
            files.append(path)
    return Macros(files, frozenset(names), namespaces)
