"""The DAG drawing: boxes never overlap, crossings are removed where an order without them exists,
and every value lands in the SVG escaped (it parses as XML)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from markupsafe import Markup

from odibi_sql.report.model import NodeReport, RunReport
from odibi_sql.report.svg import BOX_HEIGHT, BOX_WIDTH, dag_svg, layout, order_layers


def _node(name: str, tags: list[str], status: str | None = None) -> NodeReport:
    run = None
    if status is not None:
        run = RunReport(status, None, 0.1, None, None, None, None, None, None, None, 1, None, [])
    return NodeReport(
        name=name,
        pipeline="p",
        resource_type="model",
        description=None,
        tags=tags,
        materialized="table",
        write_mode="overwrite",
        write_details={},
        relation=f"p.{name}",
        file="pipelines/p.yaml",
        parents=[],
        children=[],
        sql=Markup(""),
        incremental_sql=None,
        columns=[],
        row_inputs=[],
        lineage_issues=[],
        tests=[],
        run=run,
        drift=None,
    )


def _crossings(layers: list[list[str]], edges: list[tuple[str, str]]) -> int:
    """Pairs of edges between the same two layers that cross."""
    row = {n: r for layer in layers for r, n in enumerate(layer)}
    column = {n: c for c, layer in enumerate(layers) for n in layer}
    return sum(
        1
        for (a, b), (c, d) in itertools.combinations(edges, 2)
        if column[a] == column[c] and (row[a] - row[c]) * (row[b] - row[d]) < 0
    )


def test_order_layers_removes_crossings():
    layers = [["a", "b", "c"], ["x", "y", "z"], ["q"]]
    edges = [("a", "z"), ("b", "y"), ("c", "x"), ("x", "q"), ("z", "q")]
    assert _crossings(layers, edges) == 3
    ordered = order_layers(layers, edges)
    assert _crossings(ordered, edges) == 0
    assert [sorted(layer) for layer in ordered] == [sorted(layer) for layer in layers]


def test_layout_boxes_do_not_overlap_and_fit():
    boxes, width, height = layout([["a", "b", "c"], ["d"], ["e", "f"]])
    for (_, one), (_, two) in itertools.combinations(boxes.items(), 2):
        apart_x = one.x + BOX_WIDTH <= two.x or two.x + BOX_WIDTH <= one.x
        apart_y = one.y + BOX_HEIGHT <= two.y or two.y + BOX_HEIGHT <= one.y
        assert apart_x or apart_y
    assert all(
        b.x >= 0 and b.x + BOX_WIDTH <= width and b.y >= 0 and b.y + BOX_HEIGHT <= height
        for b in boxes.values()
    )
    assert boxes["a"].x < boxes["d"].x < boxes["e"].x  # one column per layer, left to right


def test_dag_svg_is_well_formed_with_escaped_values():
    nodes = [_node("src", ['a"b<c&d']), _node("out", [], "error")]
    svg = ET.fromstring(str(dag_svg(nodes, [["src"], ["out"]], [("src", "out")])))
    groups = svg.findall(".//g[@data-node]")
    assert [g.get("data-node") for g in groups] == ["src", "out"]
    assert groups[0].get("data-tags") == 'a"b<c&d'
    assert "state-error" in groups[1].get("class").split()
    assert "state-not-run" in groups[0].get("class").split()
    (edge,) = svg.findall(".//path[@class='dag-edge']")
    assert (edge.get("data-from"), edge.get("data-to")) == ("src", "out")
    assert [a.get("href") for a in svg.findall(".//a")] == ["#node-src", "#node-out"]
