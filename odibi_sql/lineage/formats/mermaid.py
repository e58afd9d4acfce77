"""``--format mermaid``: a flowchart, one subgraph per relation; dotted arrows for indirect influence."""

from __future__ import annotations

from odibi_sql.lineage.compose import LineageView
from odibi_sql.lineage.formats.diagram import layout


def _text(value: str) -> str:
    return '"' + value.replace('"', "#quot;") + '"'


def to_mermaid(view: LineageView) -> str:
    clusters, arrows = layout(view)
    lines = ["flowchart LR"]
    for cluster in clusters:
        lines.append(f"  subgraph {cluster.id}[{_text(cluster.label)}]")
        lines.extend(f"    {box}[{_text(column)}]" for column, box in cluster.columns.items())
        lines.append("  end")
    for arrow in arrows:
        link = "-->" if arrow.direct else "-.->"
        lines.append(f"  {arrow.source} {link}|{_text(arrow.label)}| {arrow.target}")
    return "\n".join(lines) + "\n"
