"""``odibi-sql lineage`` in the terminal: rich trees of columns and the hops between them."""

from __future__ import annotations

from collections.abc import Iterable

from rich.markup import escape
from rich.tree import Tree

from odibi_sql.cli.console import console
from odibi_sql.lineage.compose import Direction, Edge, LineageView
from odibi_sql.lineage.formats.diagram import edge_label
from odibi_sql.lineage.graph import ColumnRef, NodeLineage, Transformation


def print_view(view: LineageView) -> None:
    if view.focus is None:
        for record in view.graph.nodes.values():
            console.print(_node_tree(record))
        count = sum(len(r.columns) for r in view.graph.nodes.values())
        console.print(f"{count} columns in {len(view.graph.nodes)} nodes")
    elif view.direction is Direction.DOWNSTREAM:
        _print_downstream(view)
    else:
        _print_upstream(view)
    issues = [
        (record.name, issue)
        for record in view.graph.nodes.values()
        for issue in record.issues
        if issue.column is None or (record.name, issue.column) in view.columns
    ]
    if issues:
        console.print(
            f"[yellow]{len(issues)} column{'s' if len(issues) != 1 else ''} without exact lineage[/]"
        )


def _order(ref: ColumnRef) -> tuple[str, str, str]:
    return (ref.node or "", ref.relation, ref.column)


def _name(ref: ColumnRef) -> str:
    return f"{ref.node}.{ref.column}" if ref.node else f"{ref.relation} → {ref.column}"


def _kinds(kinds: Iterable[Transformation]) -> str:
    label = edge_label(frozenset(kinds))
    direct = any(k.is_direct for k in kinds)
    return f"[{'cyan' if direct else 'magenta'}]{escape(label)}[/]"


def _inputs_line(inputs: dict[ColumnRef, frozenset[Transformation]]) -> str:
    return ", ".join(
        f"{escape(_name(ref))} {_kinds(kinds)}"
        for ref, kinds in sorted(inputs.items(), key=lambda i: _order(i[0]))
    )


def _issue_lines(tree: Tree, record: NodeLineage, column: str | None) -> None:
    for issue in record.issues:
        if issue.column == column:
            tree.add(f"[yellow]! {escape(issue.message)}[/]\n  [dim]to fix:[/] {escape(issue.hint)}")


def _node_tree(record: NodeLineage) -> Tree:
    tree = Tree(f"[bold]{escape(record.name)}[/] {escape(record.relation)} [dim]({record.materialized})[/]")
    for column, inputs in record.columns.items():
        ctype = record.types.get(column)
        head = f"[bold]{escape(column)}[/]" + (f" [dim]{escape(ctype)}[/]" if ctype else "")
        branch = tree.add(f"{head} ← {_inputs_line(inputs) or '[dim](no column inputs)[/]'}")
        _issue_lines(branch, record, column)
    if record.dataset:
        tree.add(f"[dim](all rows)[/] ← {_inputs_line(record.dataset)}")
    _issue_lines(tree, record, None)
    return tree


def _print_upstream(view: LineageView) -> None:
    graph = view.graph
    incoming: dict[tuple[str, str | None], list[Edge]] = {}
    for edge in view.edges:
        incoming.setdefault((edge.node, edge.column), []).append(edge)
    shown: set[tuple[str, str]] = set()
    rows_shown: set[str] = set()

    def expand(tree: Tree, node: str, column: str) -> None:
        if (node, column) in shown:
            return
        shown.add((node, column))
        _issue_lines(tree, graph.nodes[node], column)
        for edge in sorted(incoming.get((node, column), []), key=lambda e: _order(e.source)):
            child = tree.add(f"{escape(_name(edge.source))} {_kinds(edge.transformations)}")
            if edge.source.node in graph.nodes:
                expand(child, edge.source.node, edge.source.column)
        if node not in rows_shown and incoming.get((node, None)):
            rows_shown.add(node)
            rows = tree.add(f"[dim](all rows of {escape(node)})[/]")
            for edge in sorted(incoming[(node, None)], key=lambda e: _order(e.source)):
                child = rows.add(f"{escape(_name(edge.source))} {_kinds(edge.transformations)}")
                if edge.source.node in graph.nodes:
                    expand(child, edge.source.node, edge.source.column)

    node, column = view.focus
    for start in [column] if column else list(graph.nodes[node].columns):
        tree = Tree(f"[bold]{escape(node)}.{escape(start)}[/] [dim]{escape(graph.nodes[node].relation)}[/]")
        expand(tree, node, start)
        console.print(tree)
    _print_composed(view)
    nodes = {n for n, _ in view.columns}
    console.print(f"{len(view.columns) - 1} upstream columns in {len(nodes)} nodes")


def _print_downstream(view: LineageView) -> None:
    graph = view.graph
    outgoing: dict[tuple[str, str], list[Edge]] = {}
    for edge in view.edges:
        outgoing.setdefault((edge.source.node, edge.source.column), []).append(edge)
    shown: set[tuple[str, str]] = set()

    def expand(tree: Tree, node: str, column: str) -> None:
        if (node, column) in shown:
            return
        shown.add((node, column))
        for edge in sorted(outgoing.get((node, column), []), key=lambda e: (e.node, e.column or "")):
            if edge.column is not None:
                child = tree.add(f"{escape(edge.node)}.{escape(edge.column)} {_kinds(edge.transformations)}")
                expand(child, edge.node, edge.column)
                continue
            columns = list(graph.nodes[edge.node].columns)
            child = tree.add(
                f"{escape(edge.node)} [dim](every column: {escape(', '.join(columns))})[/] "
                f"{_kinds(edge.transformations)}"
            )
            for target in columns:
                expand(child, edge.node, target)

    node, column = view.focus
    for start in [column] if column else list(graph.nodes[node].columns):
        tree = Tree(f"[bold]{escape(node)}.{escape(start)}[/] [dim]{escape(graph.nodes[node].relation)}[/]")
        expand(tree, node, start)
        console.print(tree)
    _print_composed(view)
    impacted = {c for c, distance in view.columns.items() if distance > 0}
    nodes = {n for n, _ in impacted}
    console.print(f"{len(impacted)} columns in {len(nodes)} nodes would change")


def _print_composed(view: LineageView) -> None:
    if not view.composed:
        return
    tree = Tree(f"[bold]end to end[/]: each column and how it relates to {escape('.'.join(view.focus))}")
    for ref, kinds in sorted(view.composed.items(), key=lambda i: _order(i[0])):
        tree.add(f"{escape(_name(ref))} {_kinds(kinds)}")
    console.print(tree)
