"""Build the project's lineage: one hop per compiled node, tables mapped back to the nodes they hold."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from sqlglot import exp

from odibi_sql.compile.compiler import CompiledNode, CompiledProject, NodeAnalysis, node_relation
from odibi_sql.compile.parallel import map_forked
from odibi_sql.compile.relations import ephemeral_cte_name
from odibi_sql.lineage.graph import (
    IDENTITY,
    ColumnRef,
    LineageIssue,
    NodeLineage,
    ProjectLineage,
    Subtype,
    Transformation,
)
from odibi_sql.lineage.hop import HopTracer
from odibi_sql.project.config import FilesConnection
from odibi_sql.project.loader import Project
from odibi_sql.project.node_spec import Materialized


def relation_name(node: CompiledNode) -> str:
    return ".".join(node.relation)


LINEAGE = "lineage"
"""The key of a node's hop in ``CompiledNode.derived`` (see ``tracing``)."""


def tracing(project: Project) -> dict[str, NodeAnalysis]:
    """Pass as ``derive`` when compiling: each model's hop is traced right where it compiles."""
    return {LINEAGE: HopTracing(project)}


class HopTracing:
    """Traces one model's hop, mapping the tables it reads back to the project nodes they hold."""

    def __init__(self, project: Project):
        self.tables = {
            node_relation(node): name
            for name, node in project.nodes.items()
            if project.materialized(name) is not Materialized.EPHEMERAL
        }

    def __call__(self, node: CompiledNode, compiled: Mapping[str, CompiledNode]) -> NodeLineage | None:
        if node.definition.spec.read is not None:
            return None  # sources need no tracing (``_source_hop``)
        ephemerals = {
            ephemeral_cte_name(dep): (dep, relation_name(compiled[dep]))
            for dep in node.depends_on
            if compiled[dep].materialized is Materialized.EPHEMERAL
        }
        tracer = HopTracer(node.query, self._resolve_table, ephemerals)
        columns = {column: tracer.output(column) for column in node.columns}
        dataset = tracer.dataset()
        return NodeLineage(
            name=node.name,
            relation=relation_name(node),
            materialized=node.materialized.value,
            columns=columns,
            dataset=dataset,
            issues=tracer.issues,
            types=node.columns,
        )

    def _resolve_table(self, table: exp.Table) -> tuple[str | None, str] | None:
        if not isinstance(table.this, exp.Identifier):
            return None, table.this.sql(dialect="duckdb")  # a table function such as read_csv(...)
        if not table.catalog and table.db:
            node = self.tables.get((table.db, table.name))
            if node is not None:
                return node, f"{table.db}.{table.name}"
        if not table.db:
            return None  # an unresolved CTE name
        return None, ".".join(part.name for part in table.parts)


def build_lineage(compiled: CompiledProject, only: list[str] | None = None) -> ProjectLineage:
    """The lineage of ``only`` these compiled nodes (default: all), in DAG order.

    Hops traced while compiling (``tracing``) are reused; the others are traced here, on every core.
    """
    wanted = set(compiled.nodes if only is None else only)
    names = [n for n in compiled.dag.order if n in wanted and n in compiled.nodes]
    untraced = [
        n
        for n in names
        if compiled.nodes[n].definition.spec.read is None and LINEAGE not in compiled.nodes[n].derived
    ]
    trace = HopTracing(compiled.project)
    traced = dict(
        zip(untraced, map_forked(untraced, lambda n: trace(compiled.nodes[n], compiled.nodes)), strict=True)
    )
    nodes: dict[str, NodeLineage] = {}
    externals: dict[str, str] = {}
    for name in names:
        node = compiled.nodes[name]
        if node.definition.spec.read is not None:
            nodes[name] = _source_hop(compiled, node, externals)
        else:
            nodes[name] = traced[name] if name in traced else node.derived[LINEAGE]
    return ProjectLineage(nodes, externals=externals)


def _source_hop(compiled: CompiledProject, node: CompiledNode, externals: dict[str, str]) -> NodeLineage:
    """A source or seed reads a relation outside the project: its columns come from there as is."""
    read = node.definition.spec.read
    assert read is not None
    connection = compiled.project.config.connections.get(read.connection)
    if node.definition.resource_type == "seed" or read.path is not None:
        folder = connection.path if isinstance(connection, FilesConnection) else "."
        origin, namespace = (PurePosixPath(folder) / (read.path or "")).as_posix(), "file"
    else:
        origin, namespace = f"{read.connection}.{read.table or node.name}", f"duckdb://{read.connection}"
    externals[origin] = namespace
    casts = {s.alias_or_name for s in node.query.selects if isinstance(s.unalias(), exp.Cast | exp.TryCast)}
    cast = Transformation(Subtype.TRANSFORMATION)
    columns = {
        column: {ColumnRef(None, origin, column): frozenset({cast if column in casts else IDENTITY})}
        for column in node.columns
    }
    issues = []
    if not columns:
        issues.append(LineageIssue("the source's columns are unknown", "declare them under `columns:`"))
    return NodeLineage(
        name=node.name,
        relation=relation_name(node),
        materialized=node.materialized.value,
        columns=columns,
        issues=issues,
        types=node.columns,
    )
