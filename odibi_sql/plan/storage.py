"""How tables are created, staged and replaced, chosen from the target's capabilities.

Where a dialect has transactions and ``CREATE OR REPLACE TABLE`` (DuckDB) a node is one
transaction of plain statements. Where it has neither (Spark with parquet tables) a write is made
atomic by its order: the new rows are built in a stage table first (``<schema>.__odibi_stage_<table>``) (a failure there leaves the
target untouched), then swapped in by one statement (``INSERT OVERWRITE``) or a drop + rename.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.plan import statements as sql
from odibi_sql.plan.steps import ExecuteStep, Step


def table_properties(node: CompiledNode, caps: Capabilities) -> list[exp.Expression]:
    """``USING <format> PARTITIONED BY (...) CLUSTER BY (...)`` where the dialect has them."""
    write = node.definition.spec.write
    properties: list[exp.Expression] = []
    if caps.default_table_format:
        properties.append(exp.FileFormatProperty(this=exp.var(caps.default_table_format)))
    if write.partition_by and caps.supports_partition_by:
        properties.append(
            exp.PartitionedByProperty(this=exp.Schema(expressions=[sql.ident(c) for c in write.partition_by]))
        )
    if write.cluster_by and caps.supports_partition_by:
        properties.append(exp.ClusterProperty(expressions=[sql.col(c) for c in write.cluster_by]))
    return properties


def storage_warnings(node: CompiledNode, caps: Capabilities) -> list[str]:
    """Layout settings the dialect ignores, named so the user knows."""
    write = node.definition.spec.write
    ignored = [k for k in ("partition_by", "cluster_by") if getattr(write, k)]
    if ignored and not caps.supports_partition_by:
        return [f"write.{' and write.'.join(ignored)} ignored: {caps.name} tables have no partitions"]
    return []


def create_table(
    table: exp.Table, query: exp.Query, properties: Sequence[exp.Expression], replace: bool = False
) -> exp.Create:
    create = sql.create_table_as(table, query, replace=replace)
    if properties:
        create.set("properties", exp.Properties(expressions=[p.copy() for p in properties]))
    return create


def stage_table(node: CompiledNode, caps: Capabilities, purpose: str = "stage") -> exp.Table:
    """A temporary table where the dialect has them, else a table next to the target (a rename
    cannot move a table to another schema on Spark)."""
    schema, name = node.relation
    if caps.supports_temporary_tables:
        return exp.table_(f"__odibi_{purpose}_{node.name}", quoted=True)
    return exp.table_(f"__odibi_{purpose}_{name}", db=schema, quoted=True)


def build_stage(
    stage: exp.Table, query: exp.Query, caps: Capabilities, properties: Sequence[exp.Expression] = ()
) -> list[Step]:
    """Steps materializing ``query`` into ``stage`` (a leftover of a failed run is dropped first)."""
    if caps.supports_temporary_tables:
        return [ExecuteStep("stage the new rows", sql.create_table_as(stage, query, temporary=True))]
    return [
        ExecuteStep("drop a stage left by an earlier run", sql.drop(stage, "TABLE")),
        ExecuteStep("stage the new rows", create_table(stage, query, properties)),
    ]


def replace_table(
    node: CompiledNode,
    query: exp.Query,
    caps: Capabilities,
    exists: bool,
    description: str = "create or replace the table",
) -> list[Step]:
    """Steps (re)building the node's table from ``query``; the row-counting step is marked."""
    table, properties = node.table(), table_properties(node, caps)
    if caps.supports_create_or_replace_table or not exists:
        replace = caps.supports_create_or_replace_table
        return [ExecuteStep(description, create_table(table, query, properties, replace=replace), True)]
    stage = stage_table(node, caps, "new")
    steps = build_stage(stage, query, caps, properties)
    steps.append(ExecuteStep("drop the old table", sql.drop(table, "TABLE")))
    if caps.supports_rename_table and not node.definition.spec.write.partition_by:
        steps.append(ExecuteStep("rename the new table into place", rename(stage, table)))
    else:  # renaming a partitioned table loses its partitions in Spark's in-memory catalog
        copy = exp.select(exp.Star()).from_(stage.copy())
        steps += [
            ExecuteStep("copy the new table into place", create_table(table, copy, properties), True),
            ExecuteStep("drop the stage", sql.drop(stage, "TABLE")),
        ]
    return steps


def rename(table: exp.Table, to: exp.Table) -> exp.Alter:
    return exp.Alter(this=table.copy(), kind="TABLE", actions=[exp.AlterRename(this=to.copy())])


def overwrite(table: exp.Table, columns: Sequence[str], query: exp.Query) -> exp.Insert:
    """``INSERT OVERWRITE t ("a", "b") <query>``: every row (or, with partitions, every partition
    the new rows fall in) replaced in one statement."""
    statement = sql.insert(table, columns, query)
    statement.set("overwrite", True)
    return statement
