"""Properties YAML (``models/**/*.yml``): models, seeds and sources with their columns and tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from odibi_sql.diagnostics import DiagnosticCollector, Location, relative
from odibi_sql.project.files import OUTSIDE_HINT, is_inside
from odibi_sql.project.yaml_loader import LocatedDocument, YamlError, load_yaml

_DOCUMENTATION = ("version", "macros")  # read and kept out of the build: they describe, build nothing
_RESOURCES = ("models", "seeds", "sources")
_ENTRY_KEYS = {
    "models": {"name", "description", "config", "columns", "tests", "data_tests", "docs", "meta", "tags"},
    "seeds": {"name", "description", "config", "columns", "tests", "data_tests", "docs", "meta", "tags"},
}
COLUMN_KEYS = {"name", "description", "data_type", "tests", "data_tests", "meta", "tags", "quote", "docs"}


@dataclass(frozen=True)
class Entry:
    """One ``- name: ...`` item of a properties file, and where it sits."""

    doc: LocatedDocument
    path: tuple
    data: dict[str, Any]

    def locate(self, *key: str | int):
        return self.doc.locate((*self.path, *key))


@dataclass
class Properties:
    models: dict[str, Entry] = field(default_factory=dict)
    seeds: dict[str, Entry] = field(default_factory=dict)
    sources: list[Entry] = field(default_factory=list)


def read_properties(root: Path, folders: Iterable[Path], errors: DiagnosticCollector) -> Properties:
    out = Properties()
    files = sorted({p for f in folders if f.is_dir() for p in [*f.rglob("*.yml"), *f.rglob("*.yaml")]})
    for path in files:
        if not is_inside(path, root):
            errors.add(
                f"'{relative(path, root)}' is outside the project (after following links); it was not read",
                Location(relative(path, root)),
                hint=OUTSIDE_HINT,
            )
            continue
        try:
            doc = load_yaml(path, relative(path, root))
        except YamlError as exc:
            errors.extend([exc.diagnostic])
            continue
        if not isinstance(doc.data, dict):
            continue
        for key in doc.data:
            if key not in (*_DOCUMENTATION, *_RESOURCES):
                errors.add(
                    f"'{key}' in a properties file is not supported by odibi-sql",
                    doc.positions.get((key, "__key__")) or doc.locate((key,)),
                    hint=f"odibi-sql reads {', '.join(_RESOURCES)} here; remove '{key}' to open the project",
                )
        for kind in _RESOURCES:
            for i, item in enumerate(doc.data.get(kind) or []):
                if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                    errors.add(f"{kind}: each entry needs a name", doc.locate((kind, i)))
                    continue
                entry = Entry(doc, (kind, i), item)
                if kind == "sources":
                    out.sources.append(entry)
                    continue
                _check_keys(entry, _ENTRY_KEYS[kind], errors)
                index = out.models if kind == "models" else out.seeds
                if item["name"] in index:
                    errors.add(
                        f"{kind[:-1]} '{item['name']}' is described twice (also at {index[item['name']].locate()})",
                        entry.locate(),
                        hint="keep one properties entry per resource",
                    )
                index[item["name"]] = entry
    return out


def _check_keys(entry: Entry, allowed: set[str], errors: DiagnosticCollector) -> None:
    for key in entry.data:
        if key not in allowed:
            errors.add(
                f"'{key}' is not supported by odibi-sql",
                entry.doc.positions.get((*entry.path, key, "__key__")) or entry.locate(key),
                hint=f"supported here: {', '.join(sorted(allowed))}",
            )


def columns_of(entry: Entry | None, errors: DiagnosticCollector) -> list[tuple[int, dict[str, Any]]]:
    """The column entries of a model or seed, keys checked."""
    if entry is None:
        return []
    out = []
    for i, column in enumerate(entry.data.get("columns") or []):
        if not isinstance(column, dict) or not isinstance(column.get("name"), str):
            errors.add("columns: each entry needs a name", entry.locate("columns", i))
            continue
        _check_keys(Entry(entry.doc, (*entry.path, "columns", i), column), COLUMN_KEYS, errors)
        out.append((i, column))
    return out
