"""`odibi-sql run` on a real DuckDB file: first and second runs for every materialization and mode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.helpers import query, run_cli, write_csv, write_project

PROJECT = """
    name: inc
    targets:
      dev: {dialect: duckdb, path: target/warehouse.duckdb, threads: 2}
    connections:
      landing: {type: files, path: data}
"""
HEADER = "id,grp,amount,updated_at"


def _project(tmp_path: Path, pipeline: str, rows: list[str]) -> Path:
    root = write_project(tmp_path / "inc", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": pipeline})
    write_csv(root / "data/batch_1.csv", HEADER, rows)
    return root


SOURCE = """
    pipeline: p
    nodes:
      - name: src
        read: {connection: landing, format: csv, path: "batch_*.csv"}
"""


def _node(body: str) -> str:
    return SOURCE + "\n".join("      " + line for line in body.strip("\n").splitlines()) + "\n"


def _run(capsys, root: Path, *args: str, expect: int = 0) -> str:
    return run_cli(capsys, "run", "--project-dir", root, *args, expect=expect).text


def _rows(root: Path, table: str = "p.t", order: str = "id") -> list[tuple]:
    return query(root, f"select * from {table} order by {order}")


def test_run_table_and_view_rebuild_on_every_run(tmp_path, capsys):
    root = _project(
        tmp_path,
        _node("""
- name: t
  sql: "select grp, sum(amount) as total from {{ ref('src') }} group by grp"
- name: v
  materialized: view
  sql: "select grp from {{ ref('t') }} where total > 10"
"""),
        ["1,a,5,2024-01-01", "2,a,7,2024-01-02", "3,b,1,2024-01-03"],
    )
    out = _run(capsys, root)
    assert "PASS=3 ERROR=0 SKIP=0" in out
    assert _rows(root, order="grp") == [("a", 12), ("b", 1)]
    write_csv(root / "data/batch_2.csv", HEADER, ["4,b,20,2024-01-04"])
    out = _run(capsys, root)
    assert "table rebuild" in out
    assert _rows(root, order="grp") == [("a", 12), ("b", 21)]
    assert query(root, "select grp from p.v order by 1") == [("a",), ("b",)]


def test_run_materialization_change_table_to_view(tmp_path, capsys):
    root = _project(
        tmp_path, _node("- name: t\n  sql: \"select id from {{ ref('src') }}\""), ["1,a,5,2024-01-01"]
    )
    _run(capsys, root)
    pipeline = root / "pipelines/p.yaml"
    pipeline.write_text(pipeline.read_text().replace("- name: t\n", "- name: t\n    materialized: view\n"))
    _run(capsys, root)
    assert query(root, "select table_type from information_schema.tables where table_name = 't'") == [
        ("VIEW",)
    ]


APPEND_HWM = _node("""
- name: t
  materialized: incremental
  sql: "select id, grp, amount, updated_at from {{ ref('src') }}"
  write: {mode: append, hwm_column: updated_at}
""")


def test_run_incremental_append_with_hwm_picks_up_only_new_rows(tmp_path, capsys):
    root = _project(tmp_path, APPEND_HWM, ["1,a,5,2024-01-01", "2,a,7,2024-01-02"])
    assert "incremental first_run, 2 rows" in _run(capsys, root)
    write_csv(root / "data/batch_2.csv", HEADER, ["3,b,1,2024-01-03", "4,b,2,2024-01-04"])
    assert "incremental incremental, 2 rows" in _run(capsys, root)
    assert [r[0] for r in _rows(root)] == [1, 2, 3, 4]
    assert "incremental incremental, 0 rows" in _run(capsys, root)
    assert len(_rows(root)) == 4
    results = json.loads((root / "target/run_results.json").read_text())
    t = next(r for r in results["results"] if r["node"] == "t")
    assert t["watermark_before"].startswith("2024-01-04") and t["watermark_after"].startswith("2024-01-04")
    assert t["rows_after"] == 4


def test_run_full_refresh_rebuilds_from_the_first_run_query(tmp_path, capsys):
    root = _project(tmp_path, APPEND_HWM, ["1,a,5,2024-01-01"])
    _run(capsys, root)
    write_csv(root / "data/batch_1.csv", HEADER, ["9,z,1,2023-01-01"])  # history rewritten upstream
    _run(capsys, root)
    assert [r[0] for r in _rows(root)] == [1]  # older than the watermark: not loaded
    assert "incremental full_refresh, 1 rows" in _run(capsys, root, "--full-refresh")
    assert [r[0] for r in _rows(root)] == [9]


def test_run_first_run_query_is_used_while_the_target_is_missing(tmp_path, capsys):
    root = _project(
        tmp_path,
        _node("""
- name: t
  materialized: incremental
  sql: "select id, amount, updated_at from {{ ref('src') }} where updated_at > {{ hwm }}"
  write:
    mode: append
    hwm_column: updated_at
    first_run_query: "select id, amount, updated_at from {{ ref('src') }} where grp = 'a'"
"""),
        ["1,a,5,2024-01-01", "2,b,7,2024-01-02"],
    )
    _run(capsys, root)
    assert [r[0] for r in _rows(root)] == [1]
    write_csv(root / "data/batch_2.csv", HEADER, ["3,b,1,2024-01-03"])
    _run(capsys, root)
    assert [r[0] for r in _rows(root)] == [1, 2, 3]  # hwm = 2024-01-01: rows 2 and 3 are newer


def test_run_append_without_hwm_does_not_duplicate_a_rerun_batch(tmp_path, capsys):
    root = _project(
        tmp_path,
        _node("""
- name: t
  materialized: incremental
  sql: "select id, amount from {{ ref('src') }}"
  write: {mode: append}
"""),
        ["1,a,5,2024-01-01"],
    )
    _run(capsys, root)
    write_csv(root / "data/batch_1.csv", HEADER, ["2,a,6,2024-01-02"])
    _run(capsys, root)
    out = _run(capsys, root)  # the same batch again
    assert "already appended" in out
    assert _rows(root) == [(1, 5), (2, 6)]


def test_run_append_without_hwm_does_not_duplicate_the_first_batch(tmp_path, capsys):
    root = _project(
        tmp_path,
        _node("""
- name: t
  materialized: incremental
  sql: "select id, amount from {{ ref('src') }}"
  write: {mode: append}
"""),
        ["1,a,5,2024-01-01", "2,a,6,2024-01-02"],
    )
    _run(capsys, root)
    out = _run(capsys, root)  # the same files: the first run's batch again
    assert "already appended" in out
    assert _rows(root) == [(1, 5), (2, 6)]
    _run(capsys, root, "--full-refresh")  # a rebuild is a first batch too
    _run(capsys, root)
    assert _rows(root) == [(1, 5), (2, 6)]


MERGE = """
- name: t
  materialized: incremental
  sql: "select id, grp, amount, updated_at from {{{{ ref('src') }}}}"
  write:
    mode: merge
    unique_key: [id]
    strategy: {strategy}
    audit_columns: {audit}
"""


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("upsert", [(1, "a", 50), (2, "a", 7), (3, "c", 3)]),
        ("append_only", [(1, "a", 5), (2, "a", 7), (3, "c", 3)]),
        ("delete_match", [(2, "a", 7)]),
    ],
)
def test_run_merge_strategies(tmp_path, capsys, strategy, expected):
    root = _project(
        tmp_path,
        _node(MERGE.format(strategy=strategy, audit="false")),
        ["1,a,5,2024-01-01", "2,a,7,2024-01-01"],
    )
    _run(capsys, root)
    write_csv(root / "data/batch_1.csv", HEADER, ["1,a,50,2024-01-02", "3,c,3,2024-01-02"])
    write_csv(root / "data/batch_0.csv", HEADER, [])
    (root / "data/batch_0.csv").unlink()
    # batch_1 now holds the changed row 1 and the new row 3; row 2 is gone from the source
    _run(capsys, root)
    assert query(root, "select id, grp, amount from p.t order by id") == expected


def test_run_merge_audit_columns(tmp_path, capsys):
    merge = MERGE.format(strategy="upsert", audit="true").replace(", updated_at from", " from")
    root = _project(tmp_path, _node(merge), ["1,a,5,2024-01-01", "2,a,7,2024-01-01"])
    _run(capsys, root)
    before = dict((r[0], r[1:]) for r in query(root, "select id, created_at, updated_at from p.t"))
    write_csv(
        root / "data/batch_1.csv", HEADER, ["1,a,50,2024-01-02", "2,a,7,2024-01-01", "3,c,3,2024-01-02"]
    )
    _run(capsys, root)
    after = dict((r[0], r[1:]) for r in query(root, "select id, created_at, updated_at from p.t"))
    assert after[1][0] == before[1][0] and after[1][1] > before[1][1]  # changed: updated_at moves
    assert after[2] == before[2]  # unchanged row: both audit times stay
    assert after[3][0] == after[3][1] > before[1][0]  # new row


def test_run_merge_rejects_duplicate_keys_and_leaves_the_target(tmp_path, capsys):
    root = _project(tmp_path, _node(MERGE.format(strategy="upsert", audit="false")), ["1,a,5,2024-01-01"])
    _run(capsys, root)
    write_csv(root / "data/batch_1.csv", HEADER, ["1,a,6,2024-01-02", "1,b,7,2024-01-02", "2,a,1,2024-01-02"])
    out = _run(capsys, root, expect=1)
    assert "unique_key (id) is not unique in the incoming rows: e.g. 1, 2" in out
    assert "the target p.t was left as it was" in out
    assert query(root, "select id, amount from p.t") == [(1, 5)]


def test_merge_first_run_and_full_refresh_check_the_unique_key(tmp_path, capsys):
    root = _project(
        tmp_path,
        _node(MERGE.format(strategy="upsert", audit="false")),
        ["1,a,5,2024-01-01", "1,b,6,2024-01-01"],
    )
    out = _run(capsys, root, expect=1)
    assert "unique_key (id) is not unique in the incoming rows: e.g. 1, 2" in out
    assert query(root, "select count(*) from information_schema.tables where table_name = 't'") == [(0,)]
    write_csv(root / "data/batch_1.csv", HEADER, ["1,a,5,2024-01-01", "2,b,6,2024-01-01"])
    _run(capsys, root)
    write_csv(root / "data/batch_2.csv", HEADER, ["2,c,9,2024-01-03"])
    out = run_cli(capsys, "run", "--project-dir", root, "--full-refresh", expect=1).out
    assert "unique_key (id) is not unique in the incoming rows: e.g. 2, 2" in out
    assert query(root, "select id, amount from p.t order by id") == [(1, 5), (2, 6)]


def test_run_merge_without_unique_key_is_reported(tmp_path, capsys):
    root = _project(
        tmp_path,
        _node(
            "- name: t\n  materialized: incremental\n  sql: \"select id from {{ ref('src') }}\"\n  write: {mode: merge}"
        ),
        ["1,a,5,2024-01-01"],
    )
    result = run_cli(capsys, "run", "--project-dir", root, expect=2)
    assert "pipelines/p.yaml:8:" in result.err
    assert "write.mode merge needs write.unique_key" in result.err
    assert not (root / "target/warehouse.duckdb").exists()


def test_run_delete_insert_and_insert_overwrite(tmp_path, capsys):
    pipeline = _node("""
- name: di
  materialized: incremental
  sql: "select id, grp, amount from {{ ref('src') }}"
  write: {mode: delete_insert, unique_key: [id]}
- name: io
  materialized: incremental
  sql: "select grp, id, amount from {{ ref('src') }}"
  write: {mode: insert_overwrite, partition_by: [grp]}
""")
    root = _project(tmp_path, pipeline, ["1,a,5,2024-01-01", "2,a,7,2024-01-01", "3,b,1,2024-01-01"])
    _run(capsys, root)
    write_csv(root / "data/batch_1.csv", HEADER, ["1,a,50,2024-01-02", "4,a,4,2024-01-02"])
    _run(capsys, root)
    assert query(root, "select id, amount from p.di order by id") == [(1, 50), (2, 7), (3, 1), (4, 4)]
    # partition grp=a is replaced by the incoming rows; grp=b is untouched
    assert query(root, "select grp, id, amount from p.io order by id") == [
        ("a", 1, 50),
        ("b", 3, 1),
        ("a", 4, 4),
    ]


SCHEMA_CHANGE = """
- name: t
  materialized: incremental
  sql: sql/t.sql
  write: {{mode: merge, unique_key: [id], on_schema_change: {policy}}}
"""


def _schema_project(tmp_path, policy: str) -> Path:
    root = _project(tmp_path, _node(SCHEMA_CHANGE.format(policy=policy)), ["1,a,5,2024-01-01"])
    (root / "sql").mkdir()
    (root / "sql/t.sql").write_text("select id, amount from {{ ref('src') }}\n")
    return root


def test_run_schema_change_fails_by_default(tmp_path, capsys):
    root = _schema_project(tmp_path, "fail")
    _run(capsys, root)
    (root / "sql/t.sql").write_text("select id, amount, grp from {{ ref('src') }}\n")
    out = _run(capsys, root, expect=1)
    assert "the query's columns differ from the target's (+grp)" in out
    assert "on_schema_change" in out


def test_run_schema_change_append_and_sync(tmp_path, capsys):
    root = _schema_project(tmp_path, "append_new_columns")
    _run(capsys, root)
    (root / "sql/t.sql").write_text("select id, grp from {{ ref('src') }}\n")
    assert "incremental schema_change" in _run(capsys, root)
    assert query(root, "select id, amount, grp from p.t") == [(1, 5, "a")]
    pipeline = root / "pipelines/p.yaml"
    pipeline.write_text(pipeline.read_text().replace("append_new_columns", "sync_all_columns"))
    _run(capsys, root)
    assert [
        r[0] for r in query(root, "select column_name from information_schema.columns where table_name='t'")
    ] == [
        "id",
        "grp",
    ]


def test_run_failure_mid_node_rolls_back_every_statement(tmp_path, capsys):
    """The ALTER of a schema change runs, then the duplicate-key check fails: nothing may remain."""
    root = _schema_project(tmp_path, "append_new_columns")
    _run(capsys, root)
    (root / "sql/t.sql").write_text("select id, amount, grp from {{ ref('src') }}\n")
    write_csv(root / "data/batch_1.csv", HEADER, ["1,a,6,2024-01-02", "1,b,7,2024-01-02"])
    _run(capsys, root, expect=1)
    assert query(root, "select * from p.t") == [(1, 5)]


def test_run_resume_runs_only_failed_and_skipped(tmp_path, capsys):
    pipeline = _node("""
- name: good
  sql: "select id from {{ ref('src') }}"
- name: bad
  sql: "select cast(grp as integer) as g from {{ ref('src') }}"
- name: child
  sql: "select g from {{ ref('bad') }}"
""")
    root = _project(tmp_path, pipeline, ["1,a,5,2024-01-01"])
    out = _run(capsys, root, expect=1)
    assert "PASS=2 ERROR=1 SKIP=1" in out
    assert "upstream bad did not succeed" in out
    write_csv(root / "data/batch_1.csv", HEADER, ["1,7,5,2024-01-01"])
    out = _run(capsys, root, "--resume")
    assert "PASS=2 ERROR=0 SKIP=0 TOTAL=2" in out
    assert query(root, "select g from p.child") == [(7,)]


def test_run_dry_run_prints_the_plan_and_changes_nothing(tmp_path, capsys):
    root = _project(tmp_path, APPEND_HWM, ["1,a,5,2024-01-01"])
    out = _run(capsys, root, "--dry-run")
    assert "t incremental: first_run" in out
    assert "CREATE OR REPLACE TABLE" in out
    assert not (root / "target/warehouse.duckdb").exists()
    _run(capsys, root)
    out = _run(capsys, root, "--dry-run")
    assert "t incremental: incremental" in out
    assert "INSERT INTO" in out


def test_run_with_threads_gives_the_same_tables(tmp_path, capsys):
    nodes = "\n".join(
        f"- name: n{i}\n  sql: \"select id, amount * {i} as amount from {{{{ ref('{'src' if i < 3 else f'n{i - 3}'}') }}}}\""
        for i in range(12)
    )
    root = _project(tmp_path, _node(nodes), [f"{i},a,{i},2024-01-01" for i in range(20)])
    _run(capsys, root, "--threads", "4")
    four = [query(root, f"select sum(amount) from p.n{i}") for i in range(12)]
    _run(capsys, root, "--threads", "1")
    assert [query(root, f"select sum(amount) from p.n{i}") for i in range(12)] == four


def test_run_on_a_database_another_process_holds_says_so_without_a_traceback(tmp_path):
    root = _project(tmp_path, _node(MERGE.format(strategy="upsert", audit="false")), ["1,a,5,2024-01-01"])
    (root / "target").mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); sys.stdin.read()",
            str(root / "target/warehouse.duckdb"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        result = subprocess.run(
            [sys.executable, "-m", "odibi_sql", "run", "--project-dir", str(root)],
            capture_output=True,
            text=True,
        )
    finally:
        holder.communicate("")
    assert result.returncode == 1
    assert "cannot open target dev (duckdb)" in result.stderr
    assert "another odibi-sql (or DuckDB) process may hold it" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_columns_match_whatever_their_case_as_in_duckdb(tmp_path, capsys):
    """Landing files often have headers like ``OrderID`` or ``Order Date``: SQL reaches them in
    any case, quoted or not, as DuckDB does (the built columns are named in lower case)."""
    root = write_project(
        tmp_path / "cs",
        {
            "odibi_project.yaml": """
                name: cs
                targets:
                  dev: {dialect: duckdb, path: target/warehouse.duckdb}
                connections:
                  landing: {type: files, path: data}
            """,
            "pipelines/p.yaml": """
                pipeline: p
                nodes:
                  - name: Raw
                    read: {connection: landing, format: csv, path: o.csv}
                  - name: orders
                    sql: |
                      select OrderID, orderid + 1 as Next, "Order Date", "ORDER DATE" as again, r.Amount
                      from {{ ref('Raw') }} as R
                  - name: everything
                    sql: "select * from {{ ref('Raw') }}"
                  - name: gold
                    sql: "select ORDERID, next, amount from {{ ref('orders') }}"
            """,
        },
    )
    write_csv(root / "data/o.csv", "OrderID,Order Date,Amount", ["1,2024-01-02,5", "2,2024-01-03,7"])
    run_cli(capsys, "run", "--project-dir", root)
    assert query(root, "select * from p.gold order by 1") == [(1, 2, 5), (2, 3, 7)]
    columns = (
        "select column_name from information_schema.columns where table_name = '{}' order by ordinal_position"
    )
    assert [c for (c,) in query(root, columns.format("orders"))] == [
        "orderid",
        "next",
        "order date",
        "again",
        "amount",
    ]
    assert [c for (c,) in query(root, columns.format("everything"))] == ["orderid", "order date", "amount"]
