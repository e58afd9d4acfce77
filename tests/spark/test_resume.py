"""``--resume`` and idempotent appends on both engines: the run journal does not depend on the
engine, and an append's first batch is fingerprinted on Spark (parquet) as on DuckDB."""

from __future__ import annotations

import pytest

from tests.functional.helpers import write_csv
from tests.spark.engines import ENGINES, TARGETS, Pair

pytestmark = pytest.mark.spark

FILES = {
    "odibi_project.yaml": "name: res\n" + TARGETS + "connections:\n  landing: {type: files, path: data}\n",
    "pipelines/p.yaml": """
        pipeline: p
        nodes:
          - name: src
            read: {connection: landing, format: csv, path: "batch_*.csv"}
          - name: landed
            materialized: incremental
            write: {mode: append}
            sql: "select id, amount from {{ ref('src') }}"
          - name: keys
            read: {connection: landing, format: csv, path: "keys_*.csv"}
          - name: keyed
            materialized: incremental
            write: {mode: merge, unique_key: [id]}
            sql: "select id, v from {{ ref('keys') }}"
          - name: keyed_total
            sql: "select count(*) as n from {{ ref('keyed') }}"
    """,
}


def test_resume_and_the_first_append_on_both_engines(tmp_path, capsys, clean_spark):
    pair = Pair(tmp_path, FILES, clean_spark)
    pair.each(lambda root: write_csv(root / "data/batch_1.csv", "id,amount", ["1,5", "2,7"]))
    pair.each(lambda root: write_csv(root / "data/keys_1.csv", "id,v", ["1,a", "1,b", "2,c"]))
    out = pair.run(capsys, expect=1)  # a duplicated unique_key fails keyed
    for engine in ENGINES:
        assert "PASS=3 ERROR=1 SKIP=1" in out[engine], out[engine]
    pair.each(lambda root: write_csv(root / "data/keys_1.csv", "id,v", ["1,a", "2,c", "3,d"]))
    out = pair.run(capsys, "--resume")
    for engine in ENGINES:
        assert "PASS=2 ERROR=0 SKIP=0 TOTAL=2" in out[engine], out[engine]
        assert " landed " not in out[engine]
    assert pair.assert_same("p.keyed_total") == [(3,)]
    out = pair.run(capsys)  # the same files again: the first batch is not appended twice
    for engine in ENGINES:
        assert "already appended" in out[engine], out[engine]
    assert pair.assert_same("p.landed") == [(5, 1), (7, 2)]
