"""``--format dot``: Graphviz, one cluster per relation; dashed arrows for indirect influence."""

from __future__ import annotations

from odibi_sql.lineage.compose import LineageView
from odibi_sql.lineage.formats.diagram import layout


def _text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(view: LineageView) -> str:
    clusters, arrows = layout(view)
    lines = ["digraph lineage {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for cluster in clusters:
        lines.append(f"  subgraph cluster_{cluster.id} {{")
        lines.append(f"    label={_text(cluster.label)};")
        lines.extend(f"    {box} [label={_text(column)}];" for column, box in cluster.columns.items())
        lines.append("  }")
    for arrow in arrows:
        style = "" if arrow.direct else ", style=dashed"
        lines.append(f"  {arrow.source} -> {arrow.target} [label={_text(arrow.label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
