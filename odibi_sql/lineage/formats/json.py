"""``--format json`` and the manifest's per-node ``lineage``: plain dicts shaped like ``records.py``."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from odibi_sql.lineage.compose import LineageView
from odibi_sql.lineage.graph import ColumnRef, Inputs, LineageIssue, NodeLineage, Transformation
from odibi_sql.lineage.records import SCHEMA_VERSION


def transformation_records(kinds: Iterable[Transformation]) -> list[dict]:
    return [dict(_record(k)) for k in sorted(kinds, key=_order)]


@functools.cache
def _record(kind: Transformation) -> dict:
    return {"type": kind.type, "subtype": kind.subtype.value, "masking": kind.masking}


@functools.cache
def _order(kind: Transformation) -> tuple[str, str, bool]:
    return kind.type, kind.subtype.value, kind.masking


def input_records(inputs: Iterable[tuple[ColumnRef, Iterable[Transformation]]]) -> list[dict]:
    rows = [
        {
            "node": ref.node,
            "relation": ref.relation,
            "column": ref.column,
            "transformations": transformation_records(kinds),
        }
        for ref, kinds in inputs
    ]
    return sorted(rows, key=lambda r: (r["node"] or "", r["relation"], r["column"]))


def _issues(issues: Iterable[LineageIssue]) -> list[dict]:
    return [{"message": i.message, "hint": i.hint} for i in issues]


def node_record(
    record: NodeLineage,
    columns: dict[str, Inputs] | None = None,
    dataset: Inputs | None = None,
    distances: dict[str, int] | None = None,
) -> dict:
    """One node; ``columns``/``dataset`` narrow it to what a view shows (default: all of it)."""
    columns = record.columns if columns is None else columns
    dataset = record.dataset if dataset is None else dataset
    out_columns = {}
    for name, inputs in columns.items():
        column = {"type": record.types.get(name), "inputs": input_records(inputs.items())}
        if distances is not None:
            column["distance"] = distances.get(name)
        column["issues"] = _issues(i for i in record.issues if i.column == name)
        out_columns[name] = column
    return {
        "relation": record.relation,
        "materialized": record.materialized,
        "columns": out_columns,
        "dataset": input_records(dataset.items()),
        "issues": _issues(i for i in record.issues if i.column is None),
    }


def view_nodes(view: LineageView) -> dict[str, dict]:
    """The nodes of a view, each with the columns and hops the view holds."""
    if view.focus is None:
        return {name: node_record(record) for name, record in view.graph.nodes.items()}
    columns: dict[str, dict[str, Inputs]] = {}
    datasets: dict[str, Inputs] = {}
    distances: dict[str, dict[str, int]] = {}
    for (node, column), distance in view.columns.items():
        columns.setdefault(node, {})[column] = {}
        distances.setdefault(node, {})[column] = distance
    for edge in view.edges:
        if edge.column is None:
            datasets.setdefault(edge.node, {})[edge.source] = edge.transformations
        else:
            columns.setdefault(edge.node, {}).setdefault(edge.column, {})[edge.source] = edge.transformations
    return {
        name: node_record(
            view.graph.nodes[name], columns.get(name, {}), datasets.get(name, {}), distances.get(name, {})
        )
        for name in view.graph.nodes
        if name in columns or name in datasets
    }


def to_document(view: LineageView, project: str, target: str) -> dict:
    focus = None
    if view.focus is not None and view.direction is not None:
        node, column = view.focus
        focus = {"node": node, "column": column, "direction": view.direction.value, "depth": view.depth}
    return {
        "schema_version": SCHEMA_VERSION,
        "project": project,
        "target": target,
        "focus": focus,
        "nodes": view_nodes(view),
        "composed": input_records(view.composed.items()),
    }
