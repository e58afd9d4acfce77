"""The high-water mark is read before the run and put in the incremental query as a literal of the
target column's type: only newer rows load, whatever the type, and the comparison is exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.helpers import query, run_cli, write_csv, write_project

PROJECT = """
    name: hwm
    targets:
      dev: {dialect: duckdb, path: target/warehouse.duckdb}
    connections:
      landing: {type: files, path: data}
"""


def _project(tmp_path: Path, sql: str) -> Path:
    pipeline = f"""
        pipeline: p
        nodes:
          - name: src
            read: {{connection: landing, format: csv, path: "batch_*.csv", options: {{all_varchar: true}}}}
          - name: t
            materialized: incremental
            sql: "{sql}"
            write: {{mode: append, hwm_column: v}}
    """
    return write_project(tmp_path / "proj", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": pipeline})


def _run(capsys, root: Path) -> dict:
    run_cli(capsys, "run", "--project-dir", root)
    results = json.loads((root / "target/run_results.json").read_text(encoding="utf-8"))
    return next(r for r in results["results"] if r["node"] == "t")


# (type, first batch, second batch: equal to the watermark, just above it, below it)
CASES = [
    (
        "TIMESTAMP",
        ["2024-01-01 00:00:00", "2024-01-02 10:00:00.123456"],
        ["2024-01-02 10:00:00.123456", "2024-01-02 10:00:00.123457", "2024-01-01 00:00:01"],
    ),
    (
        "TIMESTAMPTZ",
        ["2024-01-01 00:00:00+00", "2024-01-02 12:00:00.5+02"],
        ["2024-01-02 10:00:00.5+00", "2024-01-02 10:00:00.500001+00", "2024-01-01 00:00:01+00"],
    ),
    ("DATE", ["2024-01-01", "2024-01-05"], ["2024-01-05", "2024-01-06", "2024-01-02"]),
    ("BIGINT", ["5", "9007199254740993"], ["9007199254740993", "9007199254740994", "7"]),
    ("DECIMAL(20, 3)", ["1.5", "10.125"], ["10.125", "10.126", "2"]),
    ("DOUBLE", ["0.1", "0.3"], ["0.3", "0.30000000000000004", "0.2"]),
    ("VARCHAR", ["a", "m's"], ["m's", "m't", "b"]),
]


@pytest.mark.parametrize(("kind", "first", "second"), CASES, ids=[c[0] for c in CASES])
def test_hwm_loads_only_rows_newer_than_the_watermark_for_every_type(tmp_path, capsys, kind, first, second):
    root = _project(
        tmp_path, f"select cast(id as int) as id, cast(v as {kind}) as v from {{{{ ref('src') }}}}"
    )
    write_csv(root / "data/batch_1.csv", "id,v", [f'{i},"{v}"' for i, v in enumerate(first, 1)])
    _run(capsys, root)
    write_csv(root / "data/batch_2.csv", "id,v", [f'{i},"{v}"' for i, v in enumerate(second, 3)])
    t = _run(capsys, root)
    assert t["reason"] == "incremental" and t["rows_affected"] == 1
    assert [r[0] for r in query(root, "select id from p.t order by id")] == [1, 2, 4]
    stage = next(s for s in t["statements"] if "__odibi_stage_t" in s and "CREATE" in s)
    assert "MAX(" not in stage.upper() and "CAST(" in stage  # a literal, not a subquery
    assert t["watermark_before"] is not None and t["watermark_after"] != t["watermark_before"]


def test_hwm_written_in_the_sql_is_resolved_too(tmp_path, capsys):
    root = _project(
        tmp_path,
        "select cast(id as int) as id, cast(v as date) as v from {{ ref('src') }} "
        "where {{ hwm }} < cast(v as date) and id is not null",
    )
    write_csv(root / "data/batch_1.csv", "id,v", ["1,2024-01-01", "2,2024-01-05"])
    _run(capsys, root)
    write_csv(root / "data/batch_2.csv", "id,v", ["3,2024-01-06", "4,2024-01-04", "5,2024-01-05"])
    t = _run(capsys, root)
    assert [r[0] for r in query(root, "select id from p.t order by id")] == [1, 2, 3]
    assert str(t["watermark_before"]).startswith("2024-01-05")
    assert "CAST('2024-01-05' AS DATE) < " in t["statements"][0]


def test_hwm_of_an_empty_target_loads_every_row(tmp_path, capsys):
    root = _project(tmp_path, "select cast(id as int) as id, cast(v as timestamp) as v from {{ ref('src') }}")
    write_csv(root / "data/batch_1.csv", "id,v", [])
    assert _run(capsys, root)["rows_after"] == 0
    write_csv(root / "data/batch_2.csv", "id,v", ["1,2020-01-01", "2,1970-01-01"])
    t = _run(capsys, root)
    assert t["watermark_before"] is None and t["watermark_after"].startswith("2020-01-01")
    assert [r[0] for r in query(root, "select id from p.t order by id")] == [1, 2]
