"""SQL written in YAML settings (test expressions and where, transform parameters) and struct stars:
what is refused at compile time, with the file and line (issue 18)."""

from __future__ import annotations

from pathlib import Path

from tests.functional.helpers import run_cli, write_project

PROJECT = """
    name: st
    vars: {limit: 10}
    targets:
      dev: {dialect: duckdb, path: target/warehouse.duckdb}
"""


def _project(tmp_path: Path, nodes: str) -> Path:
    pipeline = "pipeline: p\nnodes:\n  - name: t\n    sql: \"select 1 as id, 'a,b' as tags\"\n" + nodes
    return write_project(tmp_path / "st", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": pipeline})


def test_settings_render_var_and_refuse_relations_with_their_location(tmp_path, capsys):
    root = _project(
        tmp_path,
        """\
  - name: u
    sql: "select * from {{ ref('t') }}"
    transform:
      - filter_rows: {condition: "id < {{ var('limit') }} and id > {{ var('floor') }}"}
    tests:
      - expression: "id in (select id from {{ ref('t') }})"
""",
    )
    err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
    assert "pipelines/p.yaml:8:" in err and "var('floor') is not defined" in err
    root = _project(
        tmp_path,
        """\
  - name: u
    sql: "select * from {{ ref('t') }}"
    tests:
      - expression: "id in (select id from {{ ref('t') }})"
""",
    )
    for command in ("compile", "build"):  # compile checks what build would refuse
        err = run_cli(capsys, command, "--project-dir", root, expect=2).err
        assert "pipelines/p.yaml:8:" in err and "ref(), source(), this and hwm work in the node's sql only" in err
    assert not (root / "target" / "manifest.json").exists()


def test_lists_keep_their_type_through_steps_and_struct_stars_expand(tmp_path, capsys):
    root = _project(
        tmp_path,
        """\
  - name: u
    sql: "select id, tags, s.* from (select id, tags, {'a': 1, 'b': [tags]} as s from {{ ref('t') }})"
    transform:
      - derive_columns: {columns: {tag_list: "string_split(tags, ',')"}}
      - select_columns: {columns: [id, a, tag_list]}
      - explode_list_column: {column: tag_list}
  - name: v
    sql: "select id, tags.* from {{ ref('t') }}"
""",
    )
    err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
    assert "1 error in the project" in err and "[u]" not in err
    assert "pipelines/p.yaml:12:21:" in err and '[v] cannot expand "tags.*"' in err
