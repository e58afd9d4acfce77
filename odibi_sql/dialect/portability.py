"""Refuse, before anything runs, every construct not proven to give DuckDB's result on a dialect.

The registry (``dialects/portability/<name>.yaml``) lists each function, operator, cast, literal
form and clause that may appear in a canonical AST compiled for that dialect, with its lowering
(``identity`` or the name of a lowering step) and the differential cases that prove it equal on
both engines (``tests/spark/test_differential.py`` runs them). ``check`` walks a canonical AST
and returns one ``Refusal`` per construct the registry does not allow; a dialect without a
registry file checks nothing (DuckDB: the user's SQL is DuckDB SQL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field
from sqlglot import exp

from odibi_sql.dialect import constructs
from odibi_sql.dialect.lowering import snippet
from odibi_sql.resources import data_dir

SECTIONS = {
    "functions": "function",
    "operators": "operator",
    "casts": "cast",
    "try_casts": "try_cast",
    "literals": "literal",
    "clauses": "clause",
}
"""Registry section -> the kind of key its entries name."""

PATTERNS: dict[str, frozenset[str]] = {
    "numeric": frozenset({"integer", "decimal", "float"}),
    "temporal": frozenset({"date", "timestamp", "timestamptz"}),
    "any": frozenset(constructs.TYPE_CLASSES) - {"null"},
}
"""Type-class patterns an entry name may use in place of one type class."""


class Entry(BaseModel, frozen=True, extra="forbid"):
    """One construct of the registry."""

    lowering: str = "identity"
    """``identity`` (rendered as it is) or the name of the lowering step that rewrites it."""
    cases: list[str] = Field(default_factory=list)
    """DuckDB SQL templates run on both engines over typed edge inputs (``{integer}``, ``{text}``, ...)."""
    refuse: str | None = None
    """Why the construct is refused (it stays listed so the message can say why and what to write)."""
    rewrite: str | None = None
    """A portable way to write it (shown with a refusal)."""
    warn: str | None = None
    """Allowed, with this warning (a difference the engines' libraries make on some values)."""
    note: str | None = None
    """Anything the documentation should say about it."""


@dataclass(frozen=True)
class Registry:
    dialect: str
    path: Path
    entries: dict[str, Entry]
    """Full key (``function:substring``) -> entry; names may use the type patterns."""
    _found: dict[str, tuple[str, Entry] | None] = field(default_factory=dict, compare=False, repr=False)
    """``find``'s answers so far (a project repeats the same keys many times)."""

    def find(self, key: str) -> tuple[str, Entry] | None:
        """The entry allowing ``key`` (exact name first, then a pattern), or None."""
        if key not in self._found:
            entry = self.entries.get(key)
            if entry is not None:
                self._found[key] = (key, entry)
            else:
                matches = ((n, c) for n, c in self.entries.items() if _matches(n, key))
                self._found[key] = next(matches, None)
        return self._found[key]


@dataclass(frozen=True)
class Refusal:
    """A construct of a query that cannot run on the dialect as DuckDB would run it."""

    key: str
    node: exp.Expr
    message: str
    hint: str
    warning: bool = False


@cache
def registry(dialect: str) -> Registry | None:
    """The portability registry of ``dialect``, or None when it has none."""
    path = data_dir("dialects") / "portability" / f"{dialect}.yaml"
    if not path.is_file():
        return None
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(raw) - set(SECTIONS)
    if unknown:
        raise ValueError(f"{path.name}: unknown sections {sorted(unknown)}; use {sorted(SECTIONS)}")
    entries: dict[str, Entry] = {}
    for section, kind in SECTIONS.items():
        for name, body in (raw.get(section) or {}).items():
            entries[f"{kind}:{name}"] = Entry.model_validate(body or {})
    return Registry(dialect, path, entries)


def check(tree: exp.Expr, dialect: str) -> list[Refusal]:
    """Every construct of ``tree`` (a typed canonical AST) the registry of ``dialect`` does not allow,
    then those it flags (``warning``); one refusal per key and message."""
    found = registry(dialect)
    if found is None:
        return []
    refusals: dict[tuple[str, bool], Refusal] = {}
    for key, node in constructs.walk(tree):
        refusal = _judge(found, key, node)
        if refusal is not None:
            refusals.setdefault((refusal.key, refusal.warning), refusal)
    return sorted(refusals.values(), key=lambda r: r.warning)


def _judge(found: Registry, key: str, node: exp.Expr) -> Refusal | None:
    match = found.find(key)
    name = _describe(key)
    if match is None:
        if "unknown" in key:
            return Refusal(
                key,
                node,
                f"{name} in {snippet(node, 60)}: not checked, the type of an operand is unknown, and "
                f"{found.dialect} may compute it differently from DuckDB for some types",
                "cast the operand to its type, e.g. CAST(x AS DOUBLE)",
                warning=True,
            )
        return Refusal(
            key,
            node,
            f"{name} in {snippet(node, 60)} is not proven to give DuckDB's result on {found.dialect} "
            f"(not in dialects/portability/{found.path.name})",
            "write it with the constructs listed in docs/spark.md, or mark the node "
            "`portability: unchecked` to run it anyway",
        )
    _, entry = match
    if entry.refuse:
        return Refusal(
            key,
            node,
            f"{name} in {snippet(node, 60)}: {entry.refuse}",
            entry.rewrite or "write it without this construct",
        )
    if entry.warn:
        return Refusal(key, node, f"{name} in {snippet(node, 60)}: {entry.warn}", entry.rewrite or "", True)
    return None


def _describe(key: str) -> str:
    kind, _, name = key.partition(":")
    if kind == "function":
        return f"function {name}()"
    if kind in ("cast", "try_cast"):
        return f"{kind.upper()} from {name.replace(' -> ', ' to ')}"
    return f"{kind} {name}"


_CALL = re.compile(r"^(?P<head>[^(]*)\((?P<args>.*)\)$")


def _matches(pattern: str, key: str) -> bool:
    """Whether ``key`` is an instance of ``pattern`` (type classes replaced by patterns)."""
    if pattern.split(":")[0] != key.split(":")[0]:
        return False
    pattern_parts, key_parts = _parts(pattern), _parts(key)
    if pattern_parts is None or key_parts is None or len(pattern_parts) != len(key_parts):
        return False
    for want, got in zip(pattern_parts, key_parts, strict=True):
        if want != got and got not in PATTERNS.get(want, ()):
            return False
    return True


def _parts(key: str) -> list[str] | None:
    kind, _, name = key.partition(":")
    if kind in ("cast", "try_cast"):
        return [part.strip() for part in name.split("->")]
    call = _CALL.match(name)
    if call is None:
        return [name]
    return [call["head"], *(a.strip() for a in call["args"].split(","))]


def entry_names(dialect: str) -> list[str]:
    """Every key the registry of ``dialect`` lists (for docs and tests)."""
    found = registry(dialect)
    return list(found.entries) if found else []
