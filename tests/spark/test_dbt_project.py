"""A dbt project built on DuckDB and on Spark (a spark output of profiles.yml, method: session):
every relation equal, including incremental models after new data arrives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.spark.engines import ENGINES, Pair

pytestmark = pytest.mark.spark

PROJECTS = Path(__file__).parents[1] / "dbt" / "projects"
PROFILES = """
{name}:
  target: duckdb
  outputs:
    duckdb: {{type: duckdb, path: target/warehouse.duckdb, schema: {schema}}}
    spark: {{type: spark, method: session, host: NA, schema: {schema}}}
"""


def _files(name: str, schema: str) -> dict[str, str]:
    root = PROJECTS / name
    files = {
        str(p.relative_to(root)): p.read_text()
        for p in root.rglob("*")
        if p.is_file() and "_phases" not in p.parts and p.suffix != ".duckdb"
    }
    files["profiles.yml"] = PROFILES.format(name=name, schema=schema)
    return files


def test_a_dbt_project_builds_the_same_relations_on_duckdb_and_spark(tmp_path, capsys, clean_spark):
    pair = Pair(tmp_path, _files("events", "analytics"), clean_spark)
    pair.run(capsys)
    relations = ["analytics.events_appended", "analytics.events_keyed_append", "analytics.events_merged",
                 "analytics.user_totals", "analytics.daily"]  # fmt: skip
    first = {r: pair.assert_same(r) for r in relations}
    assert len(first["analytics.events_merged"]) == 5
    pair.each(lambda root: shutil.copytree(PROJECTS / "events" / "_phases" / "2", root, dirs_exist_ok=True))
    out = pair.run(capsys)
    assert all("read as a dbt project" in out[e] for e in ENGINES)
    second = {r: pair.assert_same(r) for r in relations}
    assert len(second["analytics.events_merged"]) == 7  # event 2 updated in place, 6 and 7 new
    assert len(second["analytics.events_appended"]) == 8  # appended as they came
