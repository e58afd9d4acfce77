"""``on_schema_change: sync_all_columns`` on Spark parquet tables (no DROP COLUMN there): the table
is rewritten without the removed column, the new one added; the same table as on DuckDB."""

from __future__ import annotations

import json

import pytest

from tests.functional.helpers import run_cli, write_csv
from tests.spark.engines import ENGINES, TARGETS, Pair

pytestmark = pytest.mark.spark

NODE = """
pipeline: p
nodes:
  - name: src
    read: {{connection: landing, format: csv, path: "b_*.csv"}}
  - name: events
    materialized: incremental
    write: {{mode: {mode}, on_schema_change: sync_all_columns{extra}}}
    sql: "{sql}"
"""


@pytest.mark.parametrize(
    ("mode", "extra"), [("append", ""), ("merge", ", unique_key: [id]"), ("append", ", partition_by: [grp]")]
)
def test_sync_all_columns_drops_and_adds_columns_as_on_duckdb(tmp_path, capsys, clean_spark, mode, extra):
    files = {
        "odibi_project.yaml": "name: conf\n"
        + TARGETS
        + "connections:\n  landing: {type: files, path: data}\n",
        "pipelines/p.yaml": NODE.format(
            mode=mode, extra=extra, sql="select id, grp, old from {{ ref('src') }}"
        ),
    }
    pair = Pair(tmp_path, files, clean_spark)
    pair.each(lambda root: write_csv(root / "data/b_1.csv", "id,grp,old,new", ["1,a,x,10", "2,b,y,20"]))
    pair.run(capsys)
    pair.each(lambda root: write_csv(root / "data/b_2.csv", "id,grp,old,new", ["3,a,z,30"]))
    changed = NODE.format(
        mode=mode, extra=extra, sql="select id, grp, new from {{ ref('src') }} where id = 3"
    )
    pair.each(lambda root: (root / "pipelines/p.yaml").write_text(changed))
    out = pair.run(capsys)
    assert all("schema_change" in out[e] and "ERROR=0" in out[e] for e in ENGINES), out
    rows = pair.assert_same("p.events")
    assert sorted(rows) == [("a", 1, None), ("a", 3, 30), ("b", 2, None)]  # columns by name: grp, id, new


def test_recorded_statements_are_the_spark_sql_that_ran(tmp_path, capsys, clean_spark):
    """run_results.json holds the external table over the files, not DuckDB's read_csv; run again
    as recorded on the session, the statements build the same table."""
    files = {
        "odibi_project.yaml": "name: conf\n"
        + TARGETS
        + "connections:\n  landing: {type: files, path: data}\n",
        "pipelines/p.yaml": NODE.format(mode="append", extra="", sql="select id, grp from {{ ref('src') }}"),
    }
    root = Pair(tmp_path, files, clean_spark).roots["spark"]
    write_csv(root / "data/b_1.csv", "id,grp,old,new", ["1,a,x,10"])
    run_cli(capsys, "run", "--project-dir", root, "--target", "spark")
    results = json.loads((root / "target/run_results.json").read_text())["results"]
    recorded = {r["node"]: r["statements"] for r in results}
    source = "\n".join(recorded["src"])
    assert "read_csv" not in source.lower() and "USING CSV OPTIONS" in source.upper(), source
    assert "REFRESH TABLE" in source.upper(), source
    clean_spark.sql("DROP TABLE p.events")
    for text in recorded["events"]:
        for statement in text.split(";\n"):
            clean_spark.sql(statement).collect()
    assert [tuple(r) for r in clean_spark.sql("SELECT id, grp FROM p.events").collect()] == [(1, "a")]
