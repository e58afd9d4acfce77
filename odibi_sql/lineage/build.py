"""Build the project's lineage: one hop per compiled node, tables mapped back to the nodes they hold."""

from __future__ import annotations

from pathlib import PurePosixPath

from sqlglot import exp

from odibi_sql.compile.compiler import CompiledNode, CompiledProject
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
from odibi_sql.project.node_spec import Materialized


def relation_name(node: CompiledNode) -> str:
    return ".".join(node.relation)


def build_lineage(compiled: CompiledProject, only: list[str] | None = None) -> ProjectLineage:
    """The lineage of ``only`` these compiled nodes (default: all), in DAG order."""
    relations = {
        node.relation: name
        for name, node in compiled.nodes.items()
        if node.materialized is not Materialized.EPHEMERAL
    }

    def resolve_table(table: exp.Table) -> tuple[str | None, str] | None:
        if not isinstance(table.this, exp.Identifier):
            return None, table.this.sql(dialect="duckdb")  # a table function such as read_csv(...)
        if not table.catalog and table.db:
            node = relations.get((table.db, table.name))
            if node is not None:
                return node, f"{table.db}.{table.name}"
        if not table.db:
            return None  # an unresolved CTE name
        return None, ".".join(part.name for part in table.parts)

    wanted = set(compiled.nodes if only is None else only)
    nodes: dict[str, NodeLineage] = {}
    externals: dict[str, str] = {}
    for name in compiled.dag.order:
        if name not in wanted or name not in compiled.nodes:
            continue
        node = compiled.nodes[name]
        if node.definition.spec.read is not None:
            nodes[name] = _source_hop(compiled, node, externals)
        else:
            nodes[name] = _model_hop(compiled, node, resolve_table)
    return ProjectLineage(nodes, externals=externals)


def _model_hop(compiled: CompiledProject, node: CompiledNode, resolve_table) -> NodeLineage:
    ephemerals = {
        ephemeral_cte_name(dep): (dep, relation_name(compiled.nodes[dep]))
        for dep in node.depends_on
        if compiled.nodes[dep].materialized is Materialized.EPHEMERAL
    }
    tracer = HopTracer(node.query, resolve_table, ephemerals)
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
