"""Selector methods: what a node looks like to ``--select`` and how each method matches it.

In: the nodes of a project as ``SelectableNode`` values, a method, its value (and, for
``config.<key>``, the key). Out: the set of node names the method matches, before graph
operators (``+``, ``@``) and set algebra, which live in ``selector.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Any

from odibi_sql.diagnostics import OdibiError

#: Bare values that look like a file or folder select by ``path:`` (dbt does the same).
PATH_SUFFIXES = (".yaml", ".yml", ".sql", ".csv")
RESOURCE_TYPES = ("model", "source", "seed", "test")
"""``test`` selects the nodes that have data tests (``odibi-sql test`` then runs those tests)."""


@dataclass(frozen=True)
class SelectableNode:
    """A node as selection sees it."""

    name: str
    pipeline: str
    tags: frozenset[str]
    paths: tuple[str, ...]
    config: Mapping[str, Any] = field(hash=False)
    checksum: str
    resource_type: str
    has_tests: bool = False


class SelectorError(OdibiError):
    """Selector text that cannot be understood: says which value of which option, what, and how to fix."""

    exit_code = 2

    def __init__(self, message: str, selector: str = "", option: str = "--select", hint: str | None = None):
        self.message, self.selector, self.option, self.hint = message, selector, option, hint
        super().__init__(self.format())

    def format(self) -> str:
        where = f"{self.option} '{self.selector}': " if self.selector else f"{self.option}: "
        text = where + self.message
        return text + (f"\n  to fix: {self.hint}" if self.hint else "")


class SelectorMethod(StrEnum):
    NAME = "name"
    TAG = "tag"
    PATH = "path"
    PIPELINE = "pipeline"
    CONFIG = "config"
    RESOURCE_TYPE = "resource_type"
    STATE = "state"


class StateValue(StrEnum):
    MODIFIED = "modified"
    NEW = "new"


@dataclass(frozen=True)
class MatchContext:
    """Everything a method may look at besides its value."""

    nodes: Mapping[str, SelectableNode]
    previous: Mapping[str, str] | None


Matcher = Callable[[MatchContext, str, str], set[str]]
"""``(context, key, value) -> names``; ``key`` is only used by ``config.<key>``."""


def _match_name(ctx: MatchContext, key: str, value: str) -> set[str]:
    return {name for name in ctx.nodes if fnmatchcase(name, value)}


def _match_tag(ctx: MatchContext, key: str, value: str) -> set[str]:
    return {n.name for n in ctx.nodes.values() if any(fnmatchcase(tag, value) for tag in n.tags)}


def _match_pipeline(ctx: MatchContext, key: str, value: str) -> set[str]:
    return {n.name for n in ctx.nodes.values() if fnmatchcase(n.pipeline, value)}


def _match_resource_type(ctx: MatchContext, key: str, value: str) -> set[str]:
    if value == "test":
        return {n.name for n in ctx.nodes.values() if n.has_tests}
    return {n.name for n in ctx.nodes.values() if n.resource_type == value}


def _match_path(ctx: MatchContext, key: str, value: str) -> set[str]:
    wanted = normalize_path(value)
    return {
        n.name for n in ctx.nodes.values() if any(_path_matches(normalize_path(p), wanted) for p in n.paths)
    }


def _path_matches(path: str, wanted: str) -> bool:
    if wanted == ".":
        return True
    return path == wanted or path.startswith(wanted + "/") or fnmatchcase(path, wanted)


def normalize_path(value: str) -> str:
    """Posix form, without a leading ``./`` or a trailing ``/``; the project root is ``.``."""
    path = value.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.rstrip("/") or "."


def _match_config(ctx: MatchContext, key: str, value: str) -> set[str]:
    missing = object()
    return {
        n.name
        for n in ctx.nodes.values()
        if (found := config_value(n.config, key, missing)) is not missing and _value_matches(found, value)
    }


def config_value(config: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """Look up a dotted key in a flattened config, falling back to nested mappings."""
    if key in config:
        return config[key]
    current: Any = config
    for part in key.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return default
        current = current[part]
    return current


def _value_matches(found: Any, value: str) -> bool:
    if isinstance(found, list | tuple | set | frozenset):
        return any(_value_matches(item, value) for item in found)
    if isinstance(found, bool):
        return value.lower() == str(found).lower()
    if found is None or isinstance(found, Mapping):
        return False
    return str(found).casefold() == value.casefold()


def _match_state(ctx: MatchContext, key: str, value: str) -> set[str]:
    previous = ctx.previous or {}
    if value == StateValue.NEW:
        return {name for name in ctx.nodes if name not in previous}
    return {name for name, n in ctx.nodes.items() if previous.get(name) != n.checksum}


MATCHERS: dict[SelectorMethod, Matcher] = {
    SelectorMethod.NAME: _match_name,
    SelectorMethod.TAG: _match_tag,
    SelectorMethod.PATH: _match_path,
    SelectorMethod.PIPELINE: _match_pipeline,
    SelectorMethod.CONFIG: _match_config,
    SelectorMethod.RESOURCE_TYPE: _match_resource_type,
    SelectorMethod.STATE: _match_state,
}


def default_method(value: str) -> SelectorMethod:
    """A bare value selects by name, unless it looks like a file or folder."""
    if "/" in value or "\\" in value or value.endswith(PATH_SUFFIXES):
        return SelectorMethod.PATH
    return SelectorMethod.NAME
