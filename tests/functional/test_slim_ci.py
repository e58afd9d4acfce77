"""Slim CI as dbt users run it: the manifest always describes the whole project, sources compile
from a committed snapshot when their data is absent, and ``build -s state:modified+ --defer
--state DIR`` builds only the changed nodes, reading unchanged upstream nodes from the state's
database. All on real DuckDB files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.functional.helpers import query, run_cli, write_csv, write_project

PROJECT = """
    name: sc
    default_target: prod
    targets:
      prod: {dialect: duckdb, path: target/prod.duckdb}
      ci: {dialect: duckdb, path: ci/ci.duckdb}
    connections:
      landing: {type: files, path: data}
"""
PIPELINE = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: orders.csv}
  - name: a
    sql: "select id, amount from {{ ref('raw') }} where amount > 0"
  - name: b
    sql: sql/b.sql
  - name: c
    sql: "select count(*) as n, sum(doubled) as total from {{ ref('b') }}"
  - name: other
    sql: "select id from {{ ref('raw') }}"
"""


def _project(tmp_path: Path) -> Path:
    root = write_project(
        tmp_path / "sc",
        {
            "odibi_project.yaml": PROJECT,
            "pipelines/p.yaml": PIPELINE,
            "sql/b.sql": "select id, amount * 2 as doubled from {{ ref('a') }}",
        },
    )
    write_csv(root / "data/orders.csv", "id,amount", ["1,10", "2,20", "3,-1"])
    return root


def _manifest(root: Path) -> dict:
    return json.loads((root / "target/manifest.json").read_text())


def test_selected_compile_and_run_keep_the_whole_project_in_the_manifest(tmp_path, capsys):
    root = _project(tmp_path)
    run_cli(capsys, "compile", "--project-dir", root)
    full = _manifest(root)
    run_cli(capsys, "compile", "--project-dir", root, "-s", "b")
    selected = _manifest(root)
    assert set(selected["nodes"]) == set(full["nodes"]) == {"raw", "a", "b", "c", "other"}
    assert selected["nodes"]["c"]["checksum"] == full["nodes"]["c"]["checksum"]
    assert selected["parent_map"]["c"] == ["b"]
    run_cli(capsys, "run", "--project-dir", root, "-s", "+other")
    assert set(_manifest(root)["nodes"]) == {"raw", "a", "b", "c", "other"}
    # a state taken after a selected command marks nothing as modified
    state = tmp_path / "state"
    shutil.copytree(root / "target", state)
    out = run_cli(capsys, "ls", "--project-dir", root, "-s", "state:modified", "--state", state).text
    assert "nothing selected" in out or not any(n in out.split() for n in ("raw", "a", "b", "c", "other"))


def test_a_node_not_selected_and_changed_is_described_without_its_stale_sql(tmp_path, capsys):
    root = _project(tmp_path)
    run_cli(capsys, "compile", "--project-dir", root)
    (root / "sql/b.sql").write_text("select id, amount * 3 as doubled from {{ ref('a') }}")
    run_cli(capsys, "compile", "--project-dir", root, "-s", "other")
    nodes = _manifest(root)["nodes"]
    assert nodes["b"]["compiled_sql"] == {}  # changed since it was compiled: no stale SQL
    assert nodes["c"]["compiled_sql"] == {}  # its upstream changed
    assert "duckdb" in nodes["a"]["compiled_sql"]  # unchanged, kept from the previous manifest


def test_compile_and_lint_without_data_from_a_source_snapshot(tmp_path, capsys):
    root = _project(tmp_path)
    out = run_cli(capsys, "sources", "snapshot", "--project-dir", root).out
    assert "source_schemas.yaml" in out
    snapshot = (root / "source_schemas.yaml").read_text()
    assert "raw:" in snapshot and "amount: BIGINT" in snapshot
    shutil.rmtree(root / "data")  # CI: no landing files
    run_cli(capsys, "compile", "--project-dir", root)
    assert _manifest(root)["nodes"]["b"]["columns"][1] == {
        "name": "doubled", "type": "BIGINT", "description": None, "tests": [], "sensitive": False,
    }  # fmt: skip
    run_cli(capsys, "lint", "--project-dir", root)
    (root / "source_schemas.yaml").unlink()
    err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
    assert "odibi-sql sources snapshot" in err  # the hint says how to compile without data


def test_sources_with_every_column_typed_compile_without_data(tmp_path, capsys):
    root = _project(tmp_path)
    pipeline = PIPELINE.replace(
        "path: orders.csv}",
        "path: orders.csv}\n    columns:\n      id: {type: INTEGER}\n      amount: {type: DOUBLE}",
    )
    (root / "pipelines/p.yaml").write_text(pipeline)
    shutil.rmtree(root / "data")
    run_cli(capsys, "compile", "--project-dir", root)
    columns = _manifest(root)["nodes"]["b"]["columns"]
    assert [(c["name"], c["type"]) for c in columns] == [("id", "INT"), ("doubled", "DOUBLE")]


def test_slim_ci_builds_only_the_changed_nodes_reading_upstream_from_the_state(tmp_path, capsys):
    root = _project(tmp_path)
    run_cli(capsys, "sources", "snapshot", "--project-dir", root)
    run_cli(capsys, "build", "--project-dir", root)  # production
    state = tmp_path / "prod-state"
    state.mkdir()
    shutil.copy(root / "target/manifest.json", state)

    (root / "sql/b.sql").write_text("select id, amount * 3 as doubled from {{ ref('a') }}")  # the PR
    shutil.rmtree(root / "data")  # CI has no landing data
    out = run_cli(
        capsys, "build", "--project-dir", root, "--target", "ci",
        "-s", "state:modified+", "--defer", "--state", state,
    ).out  # fmt: skip
    built = [line for line in out.splitlines() if " OK " in line or "OK" in line.split()]
    assert any(" b " in f" {line} " for line in built) and any(" c " in f" {line} " for line in built)
    assert not any(f" {n} " in f" {line} " for line in built for n in ("raw", "a", "other"))

    ci = "ci/ci.duckdb"
    assert query(root, "select id, doubled from p.b order by id", ci) == [(1, 30), (2, 60)]
    assert query(root, "select n, total from p.c", ci) == [(2, 90)]
    tables = {
        r[0]
        for r in query(root, "select table_name from information_schema.tables where table_schema = 'p'", ci)
    }
    assert tables == {"b", "c"}  # upstream was read from production, not built here
    compiled = (root / "target/compiled/duckdb/p/b.sql").read_text()
    assert '"odibi_state"."p"."a"' in compiled
    assert query(root, "select id, doubled from p.b order by id", "target/prod.duckdb") == [(1, 20), (2, 40)]


def test_defer_state_database_copied_next_to_the_manifest(tmp_path, capsys):
    root = _project(tmp_path)
    run_cli(capsys, "build", "--project-dir", root)
    state = tmp_path / "prod-state"
    state.mkdir()
    shutil.copy(root / "target/manifest.json", state)
    shutil.move(root / "target/prod.duckdb", state / "prod.duckdb")  # e.g. downloaded in CI
    run_cli(capsys, "build", "--project-dir", root, "--target", "ci", "-s", "c", "--defer", "--state", state)
    assert query(root, "select n, total from p.c", "ci/ci.duckdb") == [(2, 60)]
