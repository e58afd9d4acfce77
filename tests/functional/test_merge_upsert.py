"""merge (upsert) on DuckDB runs as DELETE + INSERT of the new and changed rows (faster than its
MERGE); both ways leave exactly the same table, audit columns and schema changes included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from odibi_sql.adapters import duckdb as adapters_duckdb
from odibi_sql.dialect import capabilities
from odibi_sql.dialect.capabilities import UpsertStrategy
from tests.functional.helpers import query, run_cli, write_csv, write_project

PIPELINE = """
    pipeline: p
    nodes:
      - name: src
        read: {connection: landing, format: csv, path: "batch_*.csv"}
      - name: t
        materialized: incremental
        sql: sql/t.sql
        write:
          mode: merge
          unique_key: [k1, k2]
          audit_columns: true
          on_schema_change: append_new_columns
"""


def _project(tmp_path: Path, sql: str) -> Path:
    return write_project(
        tmp_path / "proj",
        {
            "odibi_project.yaml": """
                name: up
                targets:
                  dev: {dialect: duckdb, path: target/warehouse.duckdb}
                connections:
                  landing: {type: files, path: data}
            """,
            "pipelines/p.yaml": PIPELINE,
            "sql/t.sql": sql,
        },
    )


def _node_result(root: Path) -> dict:
    results = json.loads((root / "target/run_results.json").read_text(encoding="utf-8"))
    return next(r for r in results["results"] if r["node"] == "t")


@pytest.mark.parametrize("upsert", list(UpsertStrategy))
def test_upsert_keeps_merge_semantics(tmp_path, capsys, monkeypatch, upsert):
    duckdb_caps = capabilities("duckdb").model_copy(update={"upsert": upsert})
    monkeypatch.setattr(adapters_duckdb, "capabilities", lambda name: duckdb_caps)
    root = _project(tmp_path, "select k1, k2, amount, note from {{ ref('src') }}\n")
    write_csv(root / "data/batch_1.csv", "k1,k2,amount,note", ["1,a,10,x", "1,b,20,y", "2,a,30,z"])
    run_cli(capsys, "run", "--project-dir", root)
    audit = "select k1, k2, created_at, updated_at from p.t"
    before = {(r[0], r[1]): r[2:] for r in query(root, audit)}

    # note is no longer produced; (1, a) changes, (1, b) comes again unchanged, (3, a) is new
    (root / "sql/t.sql").write_text("select k1, k2, amount from {{ ref('src') }}\n")
    write_csv(root / "data/batch_1.csv", "k1,k2,amount", ["1,a,11", "1,b,20", "3,a,5"])
    run_cli(capsys, "run", "--project-dir", root)

    t = _node_result(root)
    assert t["rows_affected"] == 2 and t["rows_after"] == 4
    statements = " ".join(t["statements"])
    assert ("MERGE INTO" not in statements and "DELETE FROM" in statements) is (upsert == "delete_insert")
    rows = query(root, "select k1, k2, amount, note from p.t order by k1, k2")
    assert rows == [(1, "a", 11, "x"), (1, "b", 20, "y"), (2, "a", 30, "z"), (3, "a", 5, None)]
    after = {(r[0], r[1]): r[2:] for r in query(root, audit)}
    assert after[(1, "a")][0] == before[(1, "a")][0] and after[(1, "a")][1] > before[(1, "a")][1]
    assert after[(1, "b")] == before[(1, "b")] and after[(2, "a")] == before[(2, "a")]
    assert after[(3, "a")][0] == after[(3, "a")][1] > before[(1, "a")][1]
    columns = query(root, "select column_name from information_schema.columns where table_name = 't'")
    assert [c[0] for c in columns] == ["k1", "k2", "amount", "note", "created_at", "updated_at"]


def test_upsert_failing_after_its_delete_leaves_the_target_as_it_was(tmp_path, capsys):
    """The INSERT fails (a value out of the target column's range) after the DELETE ran: rolled back."""
    root = _project(tmp_path, "select k1, k2, amount from {{ ref('src') }}\n")
    write_csv(root / "data/batch_1.csv", "k1,k2,amount", ["1,a,10", "2,a,20"])
    run_cli(capsys, "run", "--project-dir", root)
    before = query(root, "select * from p.t order by k1")
    write_csv(root / "data/batch_1.csv", "k1,k2,amount", ["1,a,11", "2,a,1e30"])  # amount: BIGINT
    out = run_cli(capsys, "run", "--project-dir", root, expect=1).text
    assert "statement: INSERT INTO" in out and "the target p.t was left as it was" in out
    assert query(root, "select * from p.t order by k1") == before
