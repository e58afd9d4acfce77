"""``show`` previews rows of a node or of inline SQL, ``debug`` checks the project, target and
connections, ``clean`` empties target/ but keeps the databases; compile drops stale SQL files."""

from __future__ import annotations

from pathlib import Path

from tests.functional.helpers import run_cli, write_csv, write_project

PROJECT = """
    name: sh
    targets:
      dev: {dialect: duckdb, path: target/dev.duckdb}
    connections:
      landing: {type: files, path: data}
"""
PIPELINE = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: people.csv}
    columns:
      email: {sensitive: true}
  - name: people
    sql: "select id, email, upper(name) as name from {{ ref('raw') }}"
  - name: gone
    sql: "select 1 as x"
"""


def _project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "sh", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": PIPELINE})
    write_csv(root / "data/people.csv", "id,email,name", [f"{i},p{i}@x.org,name{i}" for i in range(1, 8)])
    return root


def test_show_a_node_and_inline_sql_with_a_limit_masking_sensitive_values(tmp_path, capsys):
    root = _project(tmp_path)
    run_cli(capsys, "build", "--project-dir", root)
    out = run_cli(capsys, "show", "people", "--limit", "3", "--project-dir", root).out
    assert "Previewing node people" in out
    assert "NAME1" in out and "NAME3" in out and "NAME4" not in out
    assert "p1@x.org" not in out and "***" in out  # sensitive upstream column masked
    out = run_cli(
        capsys, "show", "--inline", "select count(*) as n from {{ ref('people') }}", "--project-dir", root
    ).out
    assert "n" in out and " 7 " in f" {out} "
    err = run_cli(capsys, "show", "peple", "--project-dir", root, expect=2).err
    assert "Did you mean" in err and "people" in err
    err = run_cli(
        capsys, "show", "--inline", "select * from {{ ref('nope') }}", "--project-dir", root, expect=2
    ).err
    assert "there is no node named 'nope'" in err


def test_show_before_anything_is_built_says_what_is_missing(tmp_path, capsys):
    root = _project(tmp_path)
    err = run_cli(capsys, "show", "people", "--project-dir", root, expect=1).err
    assert "does not exist" in err and "Traceback" not in err


def test_debug_reports_each_check_and_fails_on_a_problem(tmp_path, capsys):
    root = _project(tmp_path)
    out = run_cli(capsys, "debug", "--project-dir", root).out
    assert "OK    project sh (3 nodes)" in out
    assert "target dev (duckdb)" in out and "SELECT 1 ran" in out
    assert "connection landing (files)" in out and "All checks passed!" in out
    (root / "data/people.csv").unlink()
    (root / "data").rmdir()
    out = run_cli(capsys, "debug", "--project-dir", root, expect=1).out
    assert "ERROR connection landing (files): folder" in out and "does not exist" in out
    (root / "odibi_project.yaml").write_text("name: [broken\n")
    out = run_cli(capsys, "debug", "--project-dir", root, expect=1).text
    assert "ERROR project" in out


def test_clean_removes_artifacts_and_keeps_databases(tmp_path, capsys):
    root = _project(tmp_path)
    run_cli(capsys, "build", "--project-dir", root)
    assert (root / "target/manifest.json").is_file() and (root / "target/compiled").is_dir()
    out = run_cli(capsys, "clean", "--project-dir", root).out
    assert "manifest.json" in out and "compiled" in out
    assert sorted(p.name for p in (root / "target").iterdir()) == ["dev.duckdb"]
    run_cli(capsys, "show", "people", "--limit", "1", "--project-dir", root)  # the data is still there


def test_compile_removes_the_files_of_deleted_nodes(tmp_path, capsys):
    root = _project(tmp_path)
    run_cli(capsys, "compile", "--project-dir", root)
    gone = root / "target/compiled/duckdb/p/gone.sql"
    assert gone.is_file()
    (root / "pipelines/p.yaml").write_text(PIPELINE.split("  - name: gone")[0])
    run_cli(capsys, "compile", "--project-dir", root, "-s", "people")
    assert not gone.exists()
    assert (root / "target/compiled/duckdb/p/people.sql").is_file()
