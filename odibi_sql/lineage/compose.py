"""Compose the one-hop records across the DAG: upstream lineage and downstream impact of columns.

A walk collects the hops it crosses (``Edge``) and, for a single focus column, how every column it
reaches relates to the focus end to end: hop transformations composed with the same rule as the
steps inside one query (``hop.compose``), so ``DIRECT`` survives only along all-direct paths and
its subtype is the strongest seen (IDENTITY < TRANSFORMATION < AGGREGATION).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from odibi_sql.lineage.graph import IDENTITY, ColumnRef, Inputs, ProjectLineage, Transformation
from odibi_sql.lineage.hop import compose, merge

Column = tuple[str, str]


class Direction(StrEnum):
    UPSTREAM = "upstream"
    DOWNSTREAM = "downstream"


@dataclass(frozen=True)
class Edge:
    """One hop: ``source`` feeds ``node.column`` (``column`` None: every row of ``node``)."""

    source: ColumnRef
    node: str
    column: str | None
    transformations: frozenset[Transformation]


@dataclass
class LineageView:
    """The part of the lineage a command shows."""

    graph: ProjectLineage
    columns: dict[Column, int]
    """Every column shown, with its distance (in hops) from the focus."""
    edges: list[Edge]
    focus: tuple[str, str | None] | None = None
    """The node and column (None: every column of the node) a walk started from."""
    direction: Direction | None = None
    depth: int | None = None
    composed: dict[ColumnRef, frozenset[Transformation]] = field(default_factory=dict)
    """With one focus column: how each column reached relates to it, end to end."""

    def nodes(self) -> list[str]:
        seen = dict.fromkeys(node for node, _ in self.columns)
        seen.update(dict.fromkeys(e.source.node for e in self.edges if e.source.node in self.graph.nodes))
        return [n for n in self.graph.nodes if n in seen]


def whole_project(graph: ProjectLineage) -> LineageView:
    edges: list[Edge] = []
    for record in graph.nodes.values():
        for column, inputs in record.columns.items():
            edges.extend(Edge(ref, record.name, column, kinds) for ref, kinds in inputs.items())
        edges.extend(Edge(ref, record.name, None, kinds) for ref, kinds in record.dataset.items())
    return LineageView(graph, dict.fromkeys(graph.columns(), 0), edges)


def upstream(graph: ProjectLineage, node: str, column: str | None, depth: int | None = None) -> LineageView:
    """Every column ``node.column`` (or every column of ``node``) comes from, up to ``depth`` hops."""
    start = [(node, column)] if column else [(node, c) for c in graph.nodes[node].columns]
    seen: dict[Column, int] = dict.fromkeys(start, 0)
    rows_done: set[str] = set()
    edges: list[Edge] = []
    queue = deque(start)
    while queue:
        current = queue.popleft()
        distance = seen[current]
        if depth is not None and distance >= depth:
            continue
        record = graph.nodes[current[0]]
        found = [Edge(ref, record.name, current[1], k) for ref, k in record.columns[current[1]].items()]
        if record.name not in rows_done:
            rows_done.add(record.name)
            found += [Edge(ref, record.name, None, k) for ref, k in record.dataset.items()]
        for edge in found:
            edges.append(edge)
            parent = (edge.source.node, edge.source.column)
            if edge.source.node in graph.nodes and parent not in seen:
                seen[parent] = distance + 1
                queue.append(parent)
    view = LineageView(graph, seen, edges, (node, column), Direction.UPSTREAM, depth)
    if column:
        view.composed = _compose_upstream(graph, node, column, seen, depth)
    return view


def downstream(graph: ProjectLineage, node: str, column: str | None, depth: int | None = None) -> LineageView:
    """Every column that changes when ``node.column`` (or any column of ``node``) changes."""
    start = [(node, column)] if column else [(node, c) for c in graph.nodes[node].columns]
    seen: dict[Column, int] = dict.fromkeys(start, 0)
    edges: list[Edge] = []
    queue = deque(start)
    while queue:
        current = queue.popleft()
        distance = seen[current]
        if depth is not None and distance >= depth:
            continue
        source = _ref(graph, current)
        for consumer, out, kinds in graph.consumers(*current):
            edges.append(Edge(source, consumer, out, kinds))
            targets = graph.nodes[consumer].columns if out is None else (out,)
            for target in targets:
                if (consumer, target) not in seen:
                    seen[(consumer, target)] = distance + 1
                    queue.append((consumer, target))
    view = LineageView(graph, seen, edges, (node, column), Direction.DOWNSTREAM, depth)
    if column:
        view.composed = _compose_downstream(graph, _ref(graph, (node, column)), seen)
    return view


def _ref(graph: ProjectLineage, column: Column) -> ColumnRef:
    return ColumnRef(column[0], graph.nodes[column[0]].relation, column[1])


def _compose_upstream(
    graph: ProjectLineage, node: str, column: str, seen: dict[Column, int], depth: int | None
) -> dict[ColumnRef, frozenset[Transformation]]:
    """How each column reached upstream feeds ``node.column``: walk from the focus towards sources."""
    order = {name: i for i, name in enumerate(graph.nodes)}
    reach: dict[Column, Inputs] = {(node, column): {_ref(graph, (node, column)): frozenset({IDENTITY})}}
    composed: Inputs = {}
    for current in sorted(seen, key=lambda c: -order[c[0]]):
        if current not in reach or (depth is not None and seen[current] >= depth):
            continue
        (how,) = reach[current].values()
        record = graph.nodes[current[0]]
        inputs: Inputs = dict(record.columns[current[1]])
        merge(inputs, record.dataset)
        for ref, kinds in inputs.items():
            found: Inputs = {}
            for outer in how:
                merge(found, compose(outer, {ref: kinds}))
            merge(composed, found)
            parent = (ref.node, ref.column)
            if parent in seen and ref.node is not None:
                merge(reach.setdefault(parent, {}), {_ref(graph, parent): found[ref]})
    return composed


def _compose_downstream(
    graph: ProjectLineage, source: ColumnRef, seen: dict[Column, int]
) -> dict[ColumnRef, frozenset[Transformation]]:
    """How ``source`` reaches each column it impacts: walk from the source towards consumers."""
    order = {name: i for i, name in enumerate(graph.nodes)}
    reach: dict[Column, frozenset[Transformation]] = {(source.node, source.column): frozenset({IDENTITY})}
    for current in sorted(seen, key=lambda c: order[c[0]]):
        if current == (source.node, source.column):
            continue
        record = graph.nodes[current[0]]
        inputs: Inputs = dict(record.columns[current[1]])
        merge(inputs, record.dataset)
        found: Inputs = {}
        for ref, kinds in inputs.items():
            upstream_kinds = reach.get((ref.node, ref.column))
            if upstream_kinds is None:
                continue
            for role in kinds:
                merge(found, compose(role, {source: upstream_kinds}))
        if found:
            reach[current] = found[source]
    reach.pop((source.node, source.column))
    return {_ref(graph, column): kinds for column, kinds in reach.items()}
