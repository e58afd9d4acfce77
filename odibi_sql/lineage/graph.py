"""The lineage model: columns, their inputs with OpenLineage transformation types, one record per node."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Subtype(StrEnum):
    """OpenLineage transformation subtypes; the first three are DIRECT, the others INDIRECT."""

    IDENTITY = "IDENTITY"
    TRANSFORMATION = "TRANSFORMATION"
    AGGREGATION = "AGGREGATION"
    JOIN = "JOIN"
    FILTER = "FILTER"
    GROUP_BY = "GROUP_BY"
    SORT = "SORT"
    WINDOW = "WINDOW"
    CONDITIONAL = "CONDITIONAL"


DIRECT_SUBTYPES = (Subtype.IDENTITY, Subtype.TRANSFORMATION, Subtype.AGGREGATION)
"""In order of strength: a path's direct subtype is the strongest of its hops."""


class Transformation(NamedTuple):
    subtype: Subtype
    masking: bool = False

    @property
    def type(self) -> str:
        return "DIRECT" if self.subtype in DIRECT_SUBTYPES else "INDIRECT"

    @property
    def is_direct(self) -> bool:
        return self.subtype in DIRECT_SUBTYPES


IDENTITY = Transformation(Subtype.IDENTITY)


class ColumnRef(NamedTuple):
    """A column of a project node, or (``node`` None) of a relation outside the project."""

    node: str | None
    relation: str
    column: str


Inputs = dict[ColumnRef, frozenset[Transformation]]
"""Upstream columns and how each one reaches the output."""


@dataclass(frozen=True)
class LineageIssue:
    """Lineage that could not be made exact, said out loud with the way to fix it."""

    message: str
    hint: str
    column: str | None = None


@dataclass
class NodeLineage:
    """One hop: how each output column of a node comes from its inputs."""

    name: str
    relation: str
    materialized: str
    columns: dict[str, Inputs]
    dataset: Inputs = field(default_factory=dict)
    """Whole-row influences (joins, filters, group by, sort): they affect every column."""
    issues: list[LineageIssue] = field(default_factory=list)
    types: Mapping[str, str | None] = field(default_factory=dict)

    def issues_of(self, column: str) -> list[LineageIssue]:
        return [i for i in self.issues if i.column in (column, None)]


@dataclass
class ProjectLineage:
    """Every node's hop, plus a reverse index for impact analysis."""

    nodes: dict[str, NodeLineage]
    externals: dict[str, str] = field(default_factory=dict)
    """``{relation outside the project: its OpenLineage namespace}`` (files, attached databases)."""
    _consumers: dict[tuple[str, str], list[tuple[str, str | None, frozenset[Transformation]]]] | None = None

    def consumers(self, node: str, column: str) -> list[tuple[str, str | None, frozenset[Transformation]]]:
        """``(node, column or None for every column, transformations)`` reading ``node.column``."""
        if self._consumers is None:
            index: dict[tuple[str, str], list] = {}
            for record in self.nodes.values():
                for out, inputs in record.columns.items():
                    for ref, kinds in inputs.items():
                        if ref.node is not None:
                            index.setdefault((ref.node, ref.column), []).append((record.name, out, kinds))
                for ref, kinds in record.dataset.items():
                    if ref.node is not None:
                        index.setdefault((ref.node, ref.column), []).append((record.name, None, kinds))
            self._consumers = index
        return self._consumers.get((node, column), [])

    def columns(self) -> Iterator[tuple[str, str]]:
        for record in self.nodes.values():
            for column in record.columns:
                yield record.name, column
