"""Answer ``odibi-sql lineage [NODE[.COLUMN]] [--upstream|--downstream] [--depth N]`` on a graph."""

from __future__ import annotations

from odibi_sql.diagnostics import Diagnostic, ProjectError, did_you_mean
from odibi_sql.lineage.compose import Direction, LineageView, downstream, upstream, whole_project
from odibi_sql.lineage.graph import ProjectLineage


def parse_focus(text: str, graph: ProjectLineage) -> tuple[str, str | None]:
    """``NODE``, ``NODE.COLUMN``, ``SCHEMA.TABLE`` or ``SCHEMA.TABLE.COLUMN`` -> (node, column);
    unknown names raise with a suggestion. Names match case-insensitively, the longest first."""
    parts = text.split(".")
    for cut in range(len(parts), 0, -1):
        node = _node_named(".".join(parts[:cut]), graph)
        if node is None:
            continue
        if cut == len(parts):
            return node, None
        column = ".".join(parts[cut:])
        columns = {c.lower(): c for c in graph.nodes[node].columns}
        if column.lower() in columns:
            return node, columns[column.lower()]
        raise ProjectError(
            [
                Diagnostic(
                    f"lineage: node '{node}' has no column '{column}'.{did_you_mean(column, columns.values())}",
                    hint=f"columns of {node}: {', '.join(columns.values()) or '(none)'}",
                )
            ]
        )
    names = [*graph.nodes, *(r.relation for r in graph.nodes.values())]
    raise ProjectError(
        [
            Diagnostic(
                f"lineage: there is no node or relation named '{parts[0]}'.{did_you_mean(parts[0], names)}",
                hint="name a node or its schema.table (`odibi-sql ls` lists them; check --select/--exclude)",
            )
        ]
    )


def _node_named(name: str, graph: ProjectLineage) -> str | None:
    """The node called ``name``, or whose relation (``schema.table``) is ``name``."""
    wanted = name.lower()
    for node in graph.nodes:
        if node.lower() == wanted:
            return node
    for node, record in graph.nodes.items():
        if record.relation.lower() == wanted:
            return node
    return None


def lineage_view(
    graph: ProjectLineage,
    focus: str | None,
    direction: Direction = Direction.UPSTREAM,
    depth: int | None = None,
) -> LineageView:
    if focus is None:
        return whole_project(graph)
    node, column = parse_focus(focus, graph)
    walk = downstream if direction is Direction.DOWNSTREAM else upstream
    return walk(graph, node, column, depth)
