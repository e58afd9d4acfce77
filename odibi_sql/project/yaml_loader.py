"""Read YAML keeping the position of every value, so errors can point at file:line:col."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from odibi_sql.diagnostics import Diagnostic, Location
from odibi_sql.project.files import FileProblem, read_text

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml without libyaml
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]

MAX_YAML_VALUES = 250_000
"""Most values (mappings, lists and scalars, after expanding aliases) one YAML file may hold."""

MAX_YAML_DEPTH = 64
"""Deepest nesting of mappings and lists in a YAML file."""


@dataclass
class LocatedDocument:
    """Plain Python data plus the location of each value, keyed by its path in the document."""

    file: str
    data: Any
    positions: dict[Path_, Location] = field(default_factory=dict)
    block_scalars: set[Path_] = field(default_factory=set)

    def locate(self, path: Path_) -> Location:
        """The location of the value at ``path``, or of its closest located parent."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), Location(self.file, 1, 1))


class YamlError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


def load_yaml(path: Path, display: str) -> LocatedDocument:
    """Parse one YAML file; malformed YAML and duplicate keys raise ``YamlError`` with a location."""
    try:
        text = read_text(path, display)
    except FileProblem as exc:
        raise YamlError(Diagnostic(exc.message, Location(display, exc.line), hint=exc.hint)) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        raise YamlError(
            Diagnostic(
                f"malformed YAML: {exc.problem or exc}",
                loc,
                hint="check indentation and quoting on this line",
            )
        ) from None
    doc = LocatedDocument(display, None)
    if root is None:
        doc.data = {}
        return doc
    doc.data = _build(root, (), doc, [MAX_YAML_VALUES])
    return doc


def _build(node: yaml.Node, path: Path_, doc: LocatedDocument, budget: list[int]) -> Any:
    """Plain data from the composed node; aliases are expanded, within ``budget`` values in all."""
    here = Location(doc.file, node.start_mark.line + 1, node.start_mark.column + 1)
    budget[0] -= 1
    if budget[0] < 0 or len(path) > MAX_YAML_DEPTH:
        too = (
            f"more than {MAX_YAML_VALUES:,} values"
            if budget[0] < 0
            else f"nested deeper than {MAX_YAML_DEPTH}"
        )
        raise YamlError(
            Diagnostic(
                f"the YAML document has {too} (counting what aliases expand to)",
                here,
                hint="a project's YAML files stay within these limits; check for aliases (*name) that repeat large blocks",
            )
        )
    doc.positions[path] = here
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _key(key_node)
            if key in out:
                loc = Location(doc.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                raise YamlError(
                    Diagnostic(f"duplicate key {key!r}", loc, hint="remove or rename one of the two keys")
                )
            out[key] = _build(value_node, (*path, key), doc, budget)
            doc.positions.setdefault(
                (*path, key, "__key__"),
                Location(doc.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
            )
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), doc, budget) for i, item in enumerate(node.value)]
    if node.style in ("|", ">"):
        doc.block_scalars.add(path)
    return _scalar(node)


_constructor = yaml.SafeLoader("")


def _key(node: yaml.Node) -> Any:
    """A mapping key. YAML 1.1 reads ``on``/``off``/``yes``/``no`` as booleans; as keys they stay
    words, so a join's ``on: [id]`` means ``on`` (``true``/``false`` keys are still booleans)."""
    if not isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in ("true", "false"):
        return node.value
    return _scalar(node)


def _scalar(node: yaml.ScalarNode) -> Any:
    return _constructor.construct_object(node, deep=True)
