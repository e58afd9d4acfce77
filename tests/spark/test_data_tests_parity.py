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
  - name: exploded
    sql: "select * from {{ ref('listed') }}"
    transform:
      - select_columns: {columns: [id, tag_list]}
      - explode_list_column: {column: tag_list, as: tag}
  # a list built by a step, kept through drop_columns, then exploded
  - name: exploded_here
    sql: "select * from {{ ref('raw') }}"
    transform:
      - derive_columns: {columns: {tag_list: "string_split(tags, ',')"}}
      - drop_columns: {columns: [tags, d]}
      - explode_list_column: {column: tag_list}
  # var() in a transform parameter, a test expression and a test's where
  - name: recent
    sql: "select id, d from {{ ref('raw') }}"
    transform:
      - filter_rows: {condition: "id <= {{ var('max_id') }}"}
    tests:
      - expression: "d <= cast('{{ var(\\"as_of\\") }}' as date)"
        where: "id >= {{ var('min_id', 1) }}"
  # a struct star
  - name: structs
    sql: "select id, s.* from (select id, {'a': 1, 'b': 'x'} as s from {{ ref('raw') }})"
  # fails its error test; the warn relationships test that reads it must not hold `checked` back
  - name: broken
    sql: "select id as n from {{ ref('raw') }}"
    tests:
      - expression: "n < 0"
  - name: checked
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
