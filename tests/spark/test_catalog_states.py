"""What the Spark adapter reads about its targets without running a query: exists, table or view,
columns and types (many tables in one catalog call, the same answer Spark's public catalog gives
table by table), and the rows after a write."""

from __future__ import annotations

import json

import pytest

from odibi_sql.adapters import open_adapter
from odibi_sql.plan.state import TargetState
from odibi_sql.project.loader import load_project
from tests.functional.helpers import write_csv, write_project
from tests.spark.engines import ENGINES, TARGETS, Pair

pytestmark = pytest.mark.spark

WIDE = ", ".join(f"f{i}: int" for i in range(30))  # Spark's own listing cuts such a type short


def test_states_of_many_tables_match_the_catalog_table_by_table(tmp_path, clean_spark):
    spark = clean_spark
    spark.sql("CREATE SCHEMA s")
    spark.sql(
        "CREATE TABLE s.wide (a INT, b BIGINT, c VARCHAR(10), d CHAR(3), e DECIMAL(38, 6), f TIMESTAMP, "
        "g TIMESTAMP_NTZ, h DATE, i ARRAY<STRUCT<x: INT, y: STRING>>, j MAP<STRING, DOUBLE>, "
        f"k STRUCT<{WIDE}>, l BINARY, m BOOLEAN, n ARRAY<VARCHAR(5)>, `Mixed Case` STRING) USING parquet"
    )
    spark.sql("CREATE TABLE s.Narrow USING parquet AS SELECT 1 AS id")
    spark.sql("CREATE VIEW s.v AS SELECT a, c, `Mixed Case` FROM s.wide")
    project = load_project(
        write_project(tmp_path, {"odibi_project.yaml": "name: st\n" + TARGETS}), target="spark"
    )
    adapter = open_adapter(project)
    try:
        relations = [("s", "wide"), ("s", "narrow"), ("s", "v"), ("s", "missing"), ("nope", "t")]
        states = adapter.session().states(relations)
    finally:
        adapter.close()

    for schema, table in relations[:3]:
        listed = {c.name: c.dataType for c in spark.catalog.listColumns(f"{schema}.{table}")}
        if table == "wide":
            assert listed.pop("k").endswith("... 5 more fields>")
            assert (
                states[(schema, table)].columns.pop("k")
                == f"struct<{WIDE.replace(': ', ':').replace(', ', ',')}>"
            )
        assert states[(schema, table)].columns == listed
    assert states[("s", "wide")].kind == "table" and states[("s", "narrow")].kind == "table"
    assert list(states[("s", "wide")].columns)[:3] == ["a", "b", "c"]
    assert (
        states[("s", "wide")].columns["c"] == "string"
        and states[("s", "wide")].columns["e"] == "decimal(38,6)"
    )
    assert states[("s", "v")] == TargetState(
        True, "view", {"a": "int", "c": "string", "Mixed Case": "string"}
    )
    assert states[("s", "missing")] == TargetState.missing()
    assert states[("nope", "t")] == TargetState.missing()


ROWS = {
    "odibi_project.yaml": "name: rows\n" + TARGETS + "connections:\n  landing: {type: files, path: data}\n",
    "pipelines/p.yaml": """
        pipeline: p
        nodes:
          - name: src
            read: {connection: landing, format: csv, path: "b_*.csv"}
          - name: whole
            materialized: table
            sql: "select id, grp from {{ ref('src') }} where id > 1"
          - name: appended
            materialized: incremental
            write: {mode: append}
            sql: "select id, grp from {{ ref('src') }}"
          - name: split
            materialized: table
            write: {partition_by: [grp]}
            sql: "select id, grp from {{ ref('src') }}"
          - name: none
            materialized: table
            sql: "select id from {{ ref('src') }} where id < 0"
    """,
}


def _rows_after(root) -> dict[str, int]:
    results = json.loads((root / "target/run_results.json").read_text(encoding="utf-8"))["results"]
    return {r["node"]: r["rows_after"] for r in results if r["rows_after"] is not None}


def test_rows_after_each_write_are_the_tables_rows_on_both_engines(tmp_path, capsys, clean_spark):
    """On Spark the rows of an unpartitioned parquet table are added up from its files' footers, the
    rows of other tables counted by Spark: both equal DuckDB's count."""
    pair = Pair(tmp_path, ROWS, clean_spark)
    pair.each(lambda root: write_csv(root / "data/b_1.csv", "id,grp", ["1,a", "2,a", "3,b"]))
    pair.run(capsys)
    expected = {"whole": 2, "appended": 3, "split": 3, "none": 0}
    assert {e: _rows_after(root) for e, root in pair.roots.items()} == {e: expected for e in ENGINES}
    pair.each(lambda root: write_csv(root / "data/b_2.csv", "id,grp", ["4,c"]))
    pair.run(capsys)
    expected = {"whole": 3, "appended": 7, "split": 4, "none": 0}
    assert {e: _rows_after(root) for e, root in pair.roots.items()} == {e: expected for e in ENGINES}

    project = load_project(pair.roots["spark"], target="spark")
    adapter = open_adapter(project)
    try:
        session = adapter.session()
        from_files = {n: session.stored_rows("p", n) for n in expected}
    finally:
        adapter.close()
    assert from_files == {"whole": 3, "appended": 7, "split": None, "none": 0}  # partitions: Spark counts
