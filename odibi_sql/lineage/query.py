"""Answer ``odibi-sql lineage [NODE[.COLUMN]] [--upstream|--downstream] [--depth N]`` on a graph."""

from __future__ import annotations

from odibi_sql.diagnostics import Diagnostic, ProjectError, did_you_mean
from odibi_sql.lineage.compose import Direction, LineageView, downstream, upstream, whole_project
from odibi_sql.lineage.graph import ProjectLineage


def parse_focus(text: str, graph: ProjectLineage) -> tuple[str, str | None]:
    """``NODE`` or ``NODE.COLUMN`` -> (node, column); unknown names raise with a suggestion."""
    if text in graph.nodes:
        return text, None
    node, _, column = text.partition(".")
    if node not in graph.nodes:
        raise ProjectError(
            [
                Diagnostic(
                    f"lineage: there is no node named '{node}'.{did_you_mean(node, graph.nodes)}",
                    hint="run `odibi-sql ls` to list the nodes (and check --select/--exclude)",
                )
            ]
        )
    columns = graph.nodes[node].columns
    if column not in columns:
        raise ProjectError(
            [
                Diagnostic(
                    f"lineage: node '{node}' has no column '{column}'.{did_you_mean(column, columns)}",
                    hint=f"columns of {node}: {', '.join(columns) or '(none)'}",
                )
            ]
        )
    return node, column


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
