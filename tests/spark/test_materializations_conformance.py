"""Every materialization and write mode, with HWM loads, built on DuckDB and on Spark (parquet
tables: MERGE / DELETE become staged rewrites): after each run every table is equal on both.

Run 1 builds from the first batch, run 2 loads a second batch (updates, new keys, a new
partition), run 3 repeats it (nothing may be duplicated), run 4 is a --full-refresh.
"""

from __future__ import annotations

import pytest

from odibi_sql.adapters.base import EngineError
from tests.functional.helpers import run_cli, write_csv
from tests.spark.engines import ENGINES, TARGETS, Pair, select_all, spark_rows

pytestmark = pytest.mark.spark

HEADER = "id,grp,amount,ts"
BATCH_1 = ["1,a,5.5,2024-01-01 10:00:00", "2,a,7,2024-01-02 10:00:00", "3,b,1,2024-01-03 10:00:00"]
BATCH_2 = ["2,a,70,2024-01-05 10:00:00", "4,c,4,2024-01-06 10:00:00", "3,b,1,2024-01-03 10:00:00"]

INCREMENTAL = {
    "append_hwm": "mode: append, hwm_column: ts",
    "merge_upsert": "mode: merge, unique_key: [id], hwm_column: ts",
    "merge_audit": "mode: merge, unique_key: [id], audit_columns: true",
    "merge_append_only": "mode: merge, strategy: append_only, unique_key: [id]",
    "merge_delete_match": "mode: merge, strategy: delete_match, unique_key: [id]",
    "delete_insert": "mode: delete_insert, unique_key: [id]",
    "insert_overwrite": "mode: insert_overwrite, partition_by: [grp]",
    "overwrite": "mode: overwrite",
}

FILES = {
    "odibi_project.yaml": "name: conf\n" + TARGETS + "connections:\n  landing: {type: files, path: data}\n",
    "pipelines/p.yaml": """
        pipeline: p
        nodes:
          - name: src
            read: {connection: landing, format: csv, path: "batch_*.csv"}
          - name: latest
            materialized: table
            transform:
              - deduplicate: {keys: [id], order_by: "ts desc"}
            inputs: [src]
          - name: by_grp
            materialized: view
            sql: "select grp, count(*) as n, sum(amount) as total from {{ ref('latest') }} group by grp"
          - name: partitioned
            materialized: table
            write: {partition_by: [grp]}
            sql: "select * from {{ ref('latest') }}"
    """
    + "".join(
        f"""
          - name: {name}
            materialized: incremental
            write: {{{write}}}
            sql: "select * from {{{{ ref('latest') }}}}{" where ts > {{ hwm }}" if "hwm" in write else ""}"
        """
        for name, write in INCREMENTAL.items()
    ),
}
TABLES = ["p.src", "p.latest", "p.by_grp", "p.partitioned", *(f"p.{n}" for n in INCREMENTAL)]
AUDIT = ("created_at", "updated_at")


def _audit_pattern(pair: Pair) -> None:
    """Audit times differ between engines; which rows were updated (updated_at moved) must not."""
    patterns = {}
    for engine in ENGINES:
        columns, rows = pair.table(engine, "p", "merge_audit")
        i, c, u = columns.index("id"), columns.index(AUDIT[0]), columns.index(AUDIT[1])
        patterns[engine] = sorted((row[i], row[c] == row[u], row[c] is not None) for row in rows)
    assert patterns["spark"] == patterns["duckdb"]


def _assert_all_same(pair: Pair) -> dict[str, list[tuple]]:
    tables = {t: pair.assert_same(t, drop=AUDIT if t == "p.merge_audit" else ()) for t in TABLES}
    _audit_pattern(pair)
    return tables


def test_every_materialization_and_mode_same_tables(tmp_path, capsys, clean_spark):
    pair = Pair(tmp_path, FILES, clean_spark)
    pair.each(lambda root: write_csv(root / "data/batch_1.csv", HEADER, BATCH_1))
    out = pair.run(capsys)
    assert all("ERROR=0" in out[e] for e in ENGINES)
    first = _assert_all_same(pair)
    assert len(first["p.merge_upsert"]) == 3

    pair.each(lambda root: write_csv(root / "data/batch_2.csv", HEADER, BATCH_2))
    out = pair.run(capsys)
    second = _assert_all_same(pair)
    assert (70, "a", 2) in [r[:3] for r in second["p.merge_upsert"]]  # columns by name: amount, grp, id
    assert (
        len(second["p.merge_append_only"]) == 4 and second["p.merge_delete_match"] == []
    )  # every key came again

    out = pair.run(capsys)  # the same batch again: nothing new, nothing duplicated
    assert _assert_all_same(pair) == second

    out = pair.run(capsys, "--full-refresh")
    assert all("full_refresh" in out[e] for e in ENGINES)
    _assert_all_same(pair)


def test_spark_failed_write_leaves_the_target_as_it_was(tmp_path, capsys, clean_spark, monkeypatch):
    """Injected failures while swapping a merge in (INSERT OVERWRITE from the merged stage) and while
    staging a rebuilt table: both targets keep their rows."""
    from odibi_sql.adapters import spark as spark_adapter

    root = Pair(tmp_path, FILES, clean_spark).roots["spark"]
    write_csv(root / "data/batch_1.csv", HEADER, BATCH_1)
    selection = ("--select", "+merge_upsert +partitioned")
    run_cli(capsys, "run", "--project-dir", root, "--target", "spark", *selection)
    read = lambda t: spark_rows(clean_spark, select_all("p", t, "spark"))  # noqa: E731
    before = {t: read(t) for t in ("merge_upsert", "partitioned")}
    write_csv(root / "data/batch_2.csv", HEADER, BATCH_2)
    execute = spark_adapter.SparkSession.execute

    def failing(self, statement):
        text = self.render(statement)
        if text.startswith(("INSERT OVERWRITE", "CREATE TABLE `p`.`__odibi_new_partitioned`")):
            raise EngineError("injected failure", text)
        return execute(self, statement)

    monkeypatch.setattr(spark_adapter.SparkSession, "execute", failing)
    out = run_cli(capsys, "run", "--project-dir", root, "--target", "spark", *selection, expect=1).text
    recap = out[out.index("Completed with 2 failures:") :]  # each failure once below its node, once here
    assert out.count("injected failure") == 4 and "was left as it was" in out
    assert "ERROR merge_upsert: injected failure" in recap and "ERROR partitioned: injected failure" in recap
    assert {t: read(t) for t in before} == before
    assert len(before["merge_upsert"][1]) == 3
