"""The DAG as inline SVG: one column per layer (left to right), one box per node, one path per edge.

Boxes are filled by materialization and outlined by the last run's state (CSS classes styled by
the report's stylesheet); each box links to its node's section. Within a layer, nodes are ordered
by the mean position of their neighbours (barycenter sweeps) to keep edges from crossing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from odibi_sql.report.model import NodeReport

BOX_WIDTH, BOX_HEIGHT = 196, 46
LAYER_GAP, ROW_GAP, MARGIN = 72, 14, 16
_NAME_CHARS = 24
_SWEEPS = 4


@dataclass(frozen=True)
class Box:
    x: float
    y: float


def order_layers(layers: Sequence[Sequence[str]], edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Each layer reordered so that nodes sit near the mean row of their parents, then children."""
    ordered = [list(layer) for layer in layers]
    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for parent, child in edges:
        parents.setdefault(child, []).append(parent)
        children.setdefault(parent, []).append(child)
    for sweep in range(_SWEEPS):
        downward = sweep % 2 == 0
        indices = range(1, len(ordered)) if downward else range(len(ordered) - 2, -1, -1)
        links = parents if downward else children
        for i in indices:
            row = {name: r for layer in ordered for r, name in enumerate(layer)}
            ordered[i] = sorted(ordered[i], key=lambda n: _barycenter(links.get(n, []), row, n, ordered[i]))
    return ordered


def _barycenter(neighbours: list[str], row: Mapping[str, int], name: str, layer: list[str]) -> float:
    if not neighbours:
        return float(layer.index(name))
    return sum(row[n] for n in neighbours) / len(neighbours)


def layout(layers: Sequence[Sequence[str]]) -> tuple[dict[str, Box], float, float]:
    """Top-left corner of every box, and the drawing's width and height; layers are centred."""
    tallest = max((len(layer) for layer in layers), default=0)
    height = 2 * MARGIN + tallest * BOX_HEIGHT + max(tallest - 1, 0) * ROW_GAP
    width = 2 * MARGIN + len(layers) * BOX_WIDTH + max(len(layers) - 1, 0) * LAYER_GAP
    boxes: dict[str, Box] = {}
    for column, layer in enumerate(layers):
        top = MARGIN + (tallest - len(layer)) * (BOX_HEIGHT + ROW_GAP) / 2
        for row, name in enumerate(layer):
            boxes[name] = Box(MARGIN + column * (BOX_WIDTH + LAYER_GAP), top + row * (BOX_HEIGHT + ROW_GAP))
    return boxes, width, height


def dag_svg(
    nodes: Sequence[NodeReport], layers: Sequence[Sequence[str]], edges: Sequence[tuple[str, str]]
) -> Markup:
    """The ``<svg>`` element of the DAG, ready to inline in HTML."""
    boxes, width, height = layout(order_layers(layers, edges))
    svg = ET.Element(
        "svg",
        {
            "class": "dag",
            "viewBox": f"0 0 {width:g} {height:g}",
            "width": f"{width:g}",
            "height": f"{height:g}",
            "role": "img",
            "aria-label": f"DAG of {len(nodes)} nodes",
        },
    )
    _arrowhead(ET.SubElement(svg, "defs"))
    edge_group = ET.SubElement(svg, "g", {"class": "dag-edges"})
    for parent, child in edges:
        _edge(edge_group, parent, child, boxes[parent], boxes[child])
    node_group = ET.SubElement(svg, "g", {"class": "dag-nodes"})
    for node in nodes:
        _node(node_group, node, boxes[node.name])
    return Markup(ET.tostring(svg, encoding="unicode"))


def _arrowhead(defs: ET.Element) -> None:
    marker = ET.SubElement(
        defs,
        "marker",
        {
            "id": "arrow",
            "viewBox": "0 0 10 10",
            "refX": "9",
            "refY": "5",
            "markerWidth": "7",
            "markerHeight": "7",
            "orient": "auto-start-reverse",
        },
    )
    ET.SubElement(marker, "path", {"d": "M 0 0 L 10 5 L 0 10 z", "class": "dag-arrow"})


def _edge(group: ET.Element, parent: str, child: str, start: Box, end: Box) -> None:
    x1, y1 = start.x + BOX_WIDTH, start.y + BOX_HEIGHT / 2
    x2, y2 = end.x - 2, end.y + BOX_HEIGHT / 2
    bend = max((x2 - x1) / 2, LAYER_GAP / 2)
    path = f"M {x1:g} {y1:g} C {x1 + bend:g} {y1:g}, {x2 - bend:g} {y2:g}, {x2:g} {y2:g}"
    ET.SubElement(
        group,
        "path",
        {
            "class": "dag-edge",
            "d": path,
            "data-from": parent,
            "data-to": child,
            "marker-end": "url(#arrow)",
        },
    )


def _node(group: ET.Element, node: NodeReport, box: Box) -> None:
    link = ET.SubElement(group, "a", {"href": f"#node-{node.name}", "class": "dag-link"})
    g = ET.SubElement(
        link,
        "g",
        {
            "class": f"dag-node mat-{node.materialized} state-{node.state.value}",
            "data-node": node.name,
            "data-tags": " ".join(node.tags),
            "transform": f"translate({box.x:g},{box.y:g})",
        },
    )
    ET.SubElement(
        g, "title"
    ).text = (
        f"{node.name} ({node.relation})\n{node.materialized}, {node.write_mode}; last run: {node.state.label}"
    )
    ET.SubElement(
        g, "rect", {"class": "dag-box", "width": str(BOX_WIDTH), "height": str(BOX_HEIGHT), "rx": "7"}
    )
    ET.SubElement(g, "rect", {"class": "dag-state", "width": "6", "height": str(BOX_HEIGHT), "rx": "3"})
    name = node.name if len(node.name) <= _NAME_CHARS else node.name[: _NAME_CHARS - 1] + "…"
    ET.SubElement(g, "text", {"class": "dag-name", "x": "16", "y": "20"}).text = name
    ET.SubElement(
        g, "text", {"class": "dag-meta", "x": "16", "y": "36"}
    ).text = f"{node.pipeline} · {node.materialized}"
