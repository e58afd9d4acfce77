"""What a diagram shows, shared by Mermaid and DOT: one box per relation, one per column, and the hops."""

from __future__ import annotations

from dataclasses import dataclass, field

from odibi_sql.lineage.compose import LineageView
from odibi_sql.lineage.graph import Transformation

ROWS = "(all rows)"
"""The box whole-row influences (joins, filters, group by, sort) point at."""


@dataclass
class Cluster:
    id: str
    label: str
    columns: dict[str, str] = field(default_factory=dict)
    """``{column label: box id}``."""


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    label: str
    direct: bool


def edge_label(kinds: frozenset[Transformation]) -> str:
    names = sorted({k.subtype.value + (" (masked)" if k.masking else "") for k in kinds})
    return ", ".join(names)


def layout(view: LineageView) -> tuple[list[Cluster], list[Arrow]]:
    clusters: dict[str, Cluster] = {}

    def box(relation_key: str, label: str, column: str) -> str:
        cluster = clusters.get(relation_key)
        if cluster is None:
            cluster = clusters[relation_key] = Cluster(f"r{len(clusters)}", label)
        if column not in cluster.columns:
            cluster.columns[column] = f"{cluster.id}c{len(cluster.columns)}"
        return cluster.columns[column]

    def node_key(name: str) -> tuple[str, str]:
        record = view.graph.nodes[name]
        return f"node:{name}", f"{name} ({record.relation})"

    for name, column in view.columns:
        box(*node_key(name), column)
    arrows: list[Arrow] = []
    for edge in view.edges:
        if edge.source.node is not None and edge.source.node in view.graph.nodes:
            source = box(*node_key(edge.source.node), edge.source.column)
        else:
            source = box(f"external:{edge.source.relation}", edge.source.relation, edge.source.column)
        target = box(*node_key(edge.node), edge.column if edge.column is not None else ROWS)
        direct = any(k.is_direct for k in edge.transformations)
        arrows.append(Arrow(source, target, edge_label(edge.transformations), direct))
    return list(clusters.values()), list(dict.fromkeys(arrows))
