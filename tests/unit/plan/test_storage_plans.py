"""Plans chosen from capabilities: DuckDB runs plain statements in a transaction; Spark with Delta
uses one MERGE INTO / INSERT OVERWRITE; Spark with parquet stages, then swaps. The Spark SQL is
checked for shape here (Delta cannot run on these machines; parquet plans run in tests/spark/)."""

from __future__ import annotations

import pytest

from odibi_sql.compile.compiler import compile_project
from odibi_sql.dialect import capabilities, to_sql
from odibi_sql.plan.materializations import PlanContext
from odibi_sql.plan.planner import plan_node
from odibi_sql.plan.state import TargetState
from odibi_sql.plan.steps import ExecuteStep
from odibi_sql.project.loader import load_project
from tests.functional.helpers import write_csv, write_project

PIPELINE = """
pipeline: p
nodes:
  - name: src
    read: {connection: landing, format: csv, path: a.csv}
  - name: t
    write: {partition_by: [grp]}
    sql: "select * from {{ ref('src') }}"
  - name: m
    materialized: incremental
    write: {mode: merge, unique_key: [id], audit_columns: true}
    sql: "select * from {{ ref('src') }}"
  - name: io
    materialized: incremental
    write: {mode: insert_overwrite, partition_by: [grp]}
    sql: "select * from {{ ref('src') }}"
"""
EXISTING = TargetState(True, "table", {"id": "int", "grp": "string", "amount": "int"})


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    root = write_project(
        tmp_path_factory.mktemp("plans"),
        {
            "odibi_project.yaml": "name: plans\nconnections:\n  landing: {type: files, path: data}\n",
            "pipelines/p.yaml": PIPELINE,
        },
    )
    write_csv(root / "data/a.csv", "id,grp,amount", ["1,a,5"])
    return compile_project(load_project(root), ("duckdb", "spark")).nodes


def _sql(nodes, name: str, dialect: str, table_format: str | None = None, state=EXISTING) -> list[str]:
    caps = capabilities(dialect).with_table_format(table_format)
    plan = plan_node(nodes[name], state, PlanContext(caps))
    return [to_sql(s.statement, dialect) for s in plan.steps if isinstance(s, ExecuteStep)]


def test_table_on_delta_is_one_create_or_replace_with_layout(nodes):
    assert _sql(nodes, "t", "spark", "delta")[-1].startswith(
        "CREATE OR REPLACE TABLE `p`.`t` USING DELTA PARTITIONED BY (`grp`) AS SELECT"
    )


def test_table_on_parquet_stages_then_swaps(nodes):
    statements = _sql(nodes, "t", "spark", "parquet")
    assert [s.split(" AS SELECT")[0] for s in statements[1:]] == [
        "DROP TABLE IF EXISTS `p`.`__odibi_new_t`",
        "CREATE TABLE `p`.`__odibi_new_t` USING PARQUET PARTITIONED BY (`grp`)",
        "DROP TABLE IF EXISTS `p`.`t`",
        "CREATE TABLE `p`.`t` USING PARQUET PARTITIONED BY (`grp`)",
        "DROP TABLE IF EXISTS `p`.`__odibi_new_t`",
    ]


def test_table_on_duckdb_warns_partitions_are_ignored(nodes):
    plan = plan_node(nodes["t"], EXISTING, PlanContext(capabilities("duckdb")))
    assert plan.warnings == ["write.partition_by ignored: duckdb tables have no partitions"]


def test_merge_on_delta_is_one_merge_into(nodes):
    statements = _sql(nodes, "m", "spark", "delta")
    merge = next(s for s in statements if s.startswith("MERGE"))
    assert merge.startswith(
        "MERGE INTO `p`.`m` AS `t` USING `p`.`__odibi_stage_m` AS `s` ON `t`.`id` = `s`.`id`"
    )
    assert "WHEN NOT MATCHED THEN INSERT" in merge and "`updated_at` = CURRENT_TIMESTAMP()" in merge
    assert not any(s.startswith("INSERT OVERWRITE") for s in statements)


def test_merge_on_parquet_rewrites_through_a_merged_stage(nodes):
    statements = _sql(nodes, "m", "spark", "parquet")
    assert not any(s.startswith("MERGE") for s in statements)
    overwrite = next(s for s in statements if s.startswith("INSERT OVERWRITE"))
    assert overwrite.startswith(
        "INSERT OVERWRITE TABLE `p`.`m` (`id`, `grp`, `amount`, `created_at`, `updated_at`)"
    )
    assert "FROM `p`.`__odibi_merged_m`" in overwrite


def test_insert_overwrite_is_one_statement_on_spark_and_delete_insert_on_duckdb(nodes):
    assert [s for s in _sql(nodes, "io", "spark", "parquet") if "`p`.`io`" in s] == [
        "INSERT OVERWRITE TABLE `p`.`io` (`id`, `grp`, `amount`) "
        "SELECT `id`, `grp`, `amount` FROM `p`.`__odibi_stage_io`"
    ]
    duck = _sql(nodes, "io", "duckdb")
    assert any(s.startswith('DELETE FROM "p"."io" WHERE "grp" IN') for s in duck)
