"""`odibi-sql seed` on a real DuckDB file: declared and inferred types, dead-letter rows, selection."""

from __future__ import annotations

import json
from pathlib import Path

from tests.functional.helpers import query, run_cli, write_csv, write_project

PROJECT = """
    name: sd
    targets:
      dev: {dialect: duckdb, path: target/warehouse.duckdb}
    connections:
      landing: {type: files, path: data}
    seeds:
      status:
        columns:
          code: {type: integer}
"""


def _project(tmp_path: Path, pipeline: str | None = None) -> Path:
    files = {"odibi_project.yaml": PROJECT}
    if pipeline:
        files["pipelines/p.yaml"] = pipeline
    root = write_project(tmp_path / "sd", files)
    write_csv(
        root / "seeds/status.csv",
        "code,label",
        ["1,created", "2,shipped", "three,delivered", "4,canceled,extra", "5,returned"],
    )
    write_csv(root / "seeds/country.csv", "iso,name,population", ["FR,France,68.1", "DE,Germany,84.5"])
    return root


def test_seed_malformed_rows_go_to_the_dead_letter_table(tmp_path, capsys):
    root = _project(tmp_path)
    out = run_cli(capsys, "seed", "--project-dir", root).out
    assert "status" in out and "3 rows, 2 rejected" in out
    assert "PASS=2 ERROR=0 SKIP=0" in out
    assert query(root, "select code, label from seeds.status order by code") == [
        (1, "created"),
        (2, "shipped"),
        (5, "returned"),
    ]
    rejected = query(root, "select line, column_name, error_type, csv_line from seeds.status__rejected")
    assert rejected == [
        (4, "code", "CAST", "three,delivered"),
        (5, None, "TOO MANY COLUMNS", "4,canceled,extra"),
    ]
    results = json.loads((root / "target/run_results.json").read_text())
    assert results["command"] == "seed"
    by_node = {r["node"]: r for r in results["results"]}
    assert by_node["status"]["rows_rejected"] == 2 and by_node["status"]["rows_after"] == 3
    assert by_node["country"]["rows_rejected"] == 0


def test_seed_types_are_declared_or_inferred_and_a_reload_replaces_the_rejects(tmp_path, capsys):
    root = _project(tmp_path)
    run_cli(capsys, "seed", "--project-dir", root)
    types = dict(
        query(
            root,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'seeds' and table_name in ('status', 'country')",
        )
    )
    assert types["code"] == "INTEGER" and types["population"] == "DOUBLE" and types["iso"] == "VARCHAR"
    write_csv(root / "seeds/status.csv", "code,label", ["1,created", "3,delivered"])
    out = run_cli(capsys, "seed", "--project-dir", root, "--select", "status").out
    assert "TOTAL=1" in out and "rejected" not in out
    assert query(root, "select count(*) from seeds.status__rejected") == [(0,)]
    assert query(root, "select code from seeds.status order by 1") == [(1,), (3,)]


def test_seed_loads_only_seeds_and_models_can_ref_them(tmp_path, capsys):
    pipeline = """
        pipeline: p
        nodes:
          - name: labelled
            sql: "select code, upper(label) as label from {{ ref('status') }}"
    """
    root = _project(tmp_path, pipeline)
    out = run_cli(capsys, "seed", "--project-dir", root).out
    assert "labelled" not in out
    run_cli(capsys, "run", "--project-dir", root, "--select", "labelled")
    assert query(root, "select label from p.labelled order by code") == [
        ("CREATED",),
        ("SHIPPED",),
        ("RETURNED",),
    ]


def test_csv_source_with_on_error_dead_letter(tmp_path, capsys):
    pipeline = """
        pipeline: p
        nodes:
          - name: raw
            materialized: table
            read: {connection: landing, format: csv, path: "*.csv", on_error: dead_letter}
            columns:
              amount: {type: "decimal(10, 2)"}
    """
    root = _project(tmp_path, pipeline)
    write_csv(root / "data/a.csv", "id,amount", ["1,10.5", "2,n/a", "3,7"])
    out = run_cli(capsys, "run", "--project-dir", root, "--select", "raw").out
    assert "2 rows, 1 rejected" in out
    assert query(root, "select id from p.raw order by 1") == [(1,), (3,)]
    assert query(root, "select line, column_name from p.raw__rejected") == [(3, "amount")]


def test_dead_letter_on_a_view_is_reported(tmp_path, capsys):
    pipeline = """
        pipeline: p
        nodes:
          - name: raw
            read: {connection: landing, format: csv, path: "*.csv", on_error: dead_letter}
    """
    root = _project(tmp_path, pipeline)
    write_csv(root / "data/a.csv", "id,amount", ["1,10.5"])
    err = run_cli(capsys, "run", "--project-dir", root, expect=2).err
    assert "pipelines/p.yaml:4:" in err
    assert "read.on_error dead_letter needs materialized: table" in err
    assert not (root / "target/warehouse.duckdb").exists()
