"""Data tests, Jinja in settings, list and struct columns: the same project built on DuckDB and on
Spark (parquet tables) gives the same tables and the same test outcomes (issue 18)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.functional.helpers import run_cli
from tests.spark.engines import TARGETS, Pair

pytestmark = pytest.mark.spark

PROJECT = (
    """
name: dt
vars: {as_of: "2024-12-31", max_id: 3}
connections:
  landing: {type: files, path: data}
"""
    + TARGETS
)
PIPELINE = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: events.csv}
  # a list built upstream, selected downstream, then exploded
  - name: listed
    sql: "select id, string_split(tags, ',') as tag_list, d from {{ ref('raw') }}"
    materialized: view
  - name: exploded
    materialized: view
    sql: "select * from {{ ref('listed') }}"
    transform:
      - select_columns: {columns: [id, tag_list]}
      - explode_list_column: {column: tag_list, as: tag}
  # a list built by a step, kept through drop_columns, then exploded
  - name: exploded_here
    materialized: view
    sql: "select * from {{ ref('raw') }}"
    transform:
      - derive_columns: {columns: {tag_list: "string_split(tags, ',')"}}
      - drop_columns: {columns: [tags, d]}
      - explode_list_column: {column: tag_list}
  # var() in a transform parameter, a test expression and a test's where
  - name: recent
    materialized: view
    sql: "select id, d from {{ ref('raw') }}"
    transform:
      - filter_rows: {condition: "id <= {{ var('max_id') }}"}
    tests:
      - expression: "d <= cast('{{ var(\\"as_of\\") }}' as date)"
        where: "id >= {{ var('min_id', 1) }}"
  # a struct star
  - name: structs
    materialized: view
    sql: "select id, s.* from (select id, {'a': 1, 'b': 'x'} as s from {{ ref('raw') }})"
  # fails its error test; the warn relationships test that reads it must not hold `checked` back
  - name: broken
    materialized: view
    sql: "select id as n from {{ ref('raw') }}"
    tests:
      - expression: "n < 0"
  - name: checked
    materialized: view
    sql: "select id from {{ ref('raw') }}"
    columns:
      id: {tests: [{relationships: {to: broken, field: n}, severity: warn}]}
"""
EVENTS = 'id,tags,d\n1,"a,b",2024-01-01\n2,c,2024-02-01\n3,,2024-03-01\n4,d,2025-06-01\n'


@pytest.fixture
def pair(tmp_path, clean_spark):
    files = {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": PIPELINE, "data/events.csv": EVENTS}
    return Pair(tmp_path, files, clean_spark)


def test_settings_lists_structs_and_warn_relationships_alike_on_both_engines(pair, capsys):
    out = {
        engine: run_cli(capsys, "build", "--project-dir", root, "--target", engine, expect=1).text
        for engine, root in pair.roots.items()
    }
    for text in out.values():
        assert "PASS=7 ERROR=1 SKIP=0" in text, text
        assert "SKIPPED relationships_checked_id__broken_n" in text, text
        assert "not run: broken, which it reads, did not succeed" in text, text
        assert "PASS  expression_recent_d_cast_var_as_of_as_date" in text, text
    # columns sorted by name; NULL tags explode to no row
    tags = [(1, "a", ["a", "b"]), (1, "b", ["a", "b"]), (2, "c", ["c"]), (4, "d", ["d"])]
    assert pair.assert_same("p.exploded") == tags
    assert pair.assert_same("p.exploded_here") == [(i, t) for i, t, _ in tags]
    assert pair.assert_same("p.recent") == [(dt.date(2024, m, 1), m) for m in (1, 2, 3)]
    assert pair.assert_same("p.structs") == [(1, "x", i) for i in (1, 2, 3, 4)]
    for root in pair.roots.values():
        results = json.loads((root / "target/run_results.json").read_text())
        statuses = {r["node"]: r["status"] for r in results["results"]}
        assert statuses["checked"] == "success" and statuses["broken"] == "error"
        skipped = [t for t in results["tests"] if t["status"] == "skipped"]
        assert [t["name"] for t in skipped] == ["relationships_checked_id__broken_n"]


QUARANTINE = """
pipeline: q
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: "orders_*.csv"}
  # rebuilt on every run: its quarantine holds this run's rejects only
  - name: orders
    sql: "select id, amount from {{ ref('raw') }}"
    columns:
      id: {tests: [{unique: true, quarantine: true}]}
    tests:
      - {expression: "amount >= 0", quarantine: true}
  # appended: its quarantine keeps every run's rejects, each with its run id
  - name: events
    sql: "select id, amount from {{ ref('raw') }}"
    materialized: incremental
    write: {mode: append, hwm_column: id}
    tests:
      - {expression: "amount >= 0", quarantine: true}
  # merged: nothing fails in run 1 (its quarantine exists, empty); run 2 brings a duplicate key,
  # which fails the node, and a row to quarantine, which the failed run must not keep
  - name: merged
    sql: "select id, amount from {{ ref('raw') }} where id in (3, 5, 6)"
    materialized: incremental
    write: {mode: merge, unique_key: [id]}
    tests:
      - {expression: "amount >= 0", quarantine: true}
"""


def test_quarantine_is_staged_replaced_or_appended_and_atomic_on_both_engines(tmp_path, clean_spark, capsys):
    files = {
        "odibi_project.yaml": PROJECT,
        "pipelines/q.yaml": QUARANTINE,
        "data/orders_1.csv": "id,amount\n1,5\n2,-1\n3,7\n4,-2\n",
    }
    pair = Pair(tmp_path, files, clean_spark)
    for text in pair.run(capsys).values():
        assert "PASS=4 ERROR=0 SKIP=0" in text, text
        assert "2 quarantined" in _line(text, "orders") and "2 quarantined" in _line(text, "events")
    drop = ("quarantined_at", "quarantine_run_id")
    first = {t: pair.assert_same(f"q.{t}__quarantine", drop) for t in ("orders", "events")}
    assert sorted((a, i) for a, i, _ in first["orders"]) == [(-2, 4), (-1, 2)]
    assert pair.assert_same("q.merged__quarantine", drop) == []
    assert sorted(pair.assert_same("q.orders")) == [(5, 1), (7, 3)]

    def second_batch(root):  # id 5 twice (a duplicate merge key), id 6 negative
        (root / "data/orders_2.csv").write_text("id,amount\n5,1\n5,2\n6,-3\n")

    pair.each(second_batch)
    out = pair.run(capsys, expect=1)
    for text in out.values():
        assert "PASS=3 ERROR=1 SKIP=0" in text, text
        assert "unique_key (id) is not unique" in text, text
    # the table's quarantine was rebuilt with the table: this run's rejects only, no duplicates
    orders = pair.assert_same("q.orders__quarantine", drop)
    assert sorted(orders) == [
        (-3, 6, "expression_orders_amount_0"),
        (-2, 4, "expression_orders_amount_0"),
        (-1, 2, "expression_orders_amount_0"),
        (1, 5, "unique_orders_id"),
        (2, 5, "unique_orders_id"),
    ]
    # the incremental node's quarantine kept run 1's rows and added run 2's (id 4 is read again:
    # the watermark is the table's maximum, 3), each run's rows with one run id
    events = pair.assert_same("q.events__quarantine", drop)
    assert sorted((a, i) for a, i, _ in events) == [(-3, 6), (-2, 4), (-2, 4), (-1, 2)]
    for engine, root in pair.roots.items():
        columns, rows = pair.table(engine, "q", "events__quarantine")
        runs = {(r[columns.index("id")], r[columns.index("quarantine_run_id")]) for r in rows}
        last = json.loads((root / "target/run_results.json").read_text())["run_id"]
        assert {i for i, run in runs if run == last} == {4, 6} and len({run for _, run in runs}) == 2
    # the failed merge left its table and its quarantine as they were
    assert pair.assert_same("q.merged__quarantine", drop) == []
    assert pair.assert_same("q.merged") == [(7, 3)]


def _line(out: str, name: str) -> str:
    """The node's result line (the last line naming it: progress lines come first)."""
    return [line for line in out.splitlines() if f" {name} " in line][-1]
