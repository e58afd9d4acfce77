"""Column contracts and docs blocks: a declared ``type:`` is enforced at compile time, a documented
column the query does not produce is reported, ``{{ doc('name') }}`` descriptions are filled in."""

from __future__ import annotations

import json
from pathlib import Path

from tests.functional.helpers import query, run_cli, write_project

PROJECT = """
    name: ct
    targets:
      dev: {dialect: duckdb, path: target/dev.duckdb}
"""


def _project(tmp_path: Path, columns: str, extra: dict[str, str] | None = None) -> Path:
    pipeline = (
        "pipeline: p\nnodes:\n  - name: m\n"
        "    description: '{{ doc(\"m_doc\") }}'\n"
        "    sql: \"select 1 as id, 'a' as label, 2.5::double as amount\"\n"
        "    columns:\n" + columns
    )
    files = {
        "odibi_project.yaml": PROJECT,
        "pipelines/p.yaml": pipeline,
        "docs/m.md": "{% docs m_doc %}\nThe m table.\n{% enddocs %}\n",
    }
    return write_project(tmp_path / "ct", {**files, **(extra or {})})


def test_declared_types_that_match_build(tmp_path, capsys):
    root = _project(
        tmp_path, "      id: {type: integer}\n      label: {type: text}\n      amount: {type: DOUBLE}\n"
    )
    run_cli(capsys, "build", "--project-dir", root)
    assert query(root, "select * from p.m", "target/dev.duckdb") == [(1, "a", 2.5)]


def test_a_declared_type_the_query_does_not_give_is_a_compile_error(tmp_path, capsys):
    root = _project(tmp_path, "      id: {type: BIGINT}\n      label: {type: INTEGER}\n")
    err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
    assert (
        "pipelines/p.yaml:7" in err
        and "column 'label' is declared INTEGER but the query gives VARCHAR" in err
    )
    assert "column 'id' is declared BIGINT but the query gives INT" in err
    assert "cast it in the SQL" in err
    assert not (root / "target").exists()


def test_documented_columns_the_query_does_not_produce(tmp_path, capsys):
    root = _project(
        tmp_path, "      id: {description: the key}\n      gone: {description: removed last week}\n"
    )
    result = run_cli(capsys, "compile", "--project-dir", root)
    assert (
        "warning:" in result.err
        and "column 'gone' is declared but the query does not produce it" in result.err
    )
    root = _project(tmp_path, "      gone: {type: INTEGER}\n")
    err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
    assert "column 'gone' is declared but the query does not produce it" in err


def test_doc_blocks_fill_descriptions(tmp_path, capsys):
    root = _project(
        tmp_path,
        "      id: {description: '{{ doc(\"id_doc\") }}'}\n",
        {"docs/id.md": "{% docs id_doc %}The key.{% enddocs %}"},
    )
    run_cli(capsys, "compile", "--project-dir", root)
    node = json.loads((root / "target/manifest.json").read_text())["nodes"]["m"]
    assert node["description"] == "The m table."
    assert node["columns"][0]["description"] == "The key."
    root = _project(
        tmp_path,
        "      id: {description: '{{ doc(\"id_dc\") }}'}\n",
        {"docs/id.md": "{% docs id_doc %}The key.{% enddocs %}"},
    )
    err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
    assert "doc('id_dc'): there is no docs block named 'id_dc'. Did you mean \"id_doc\"?" in err


def test_doc_blocks_are_not_read_through_a_link_leading_outside_the_project(tmp_path, capsys):
    outside = tmp_path / "outside.md"
    outside.write_text("{% docs id_doc %}SECRET outside the project{% enddocs %}")
    root = _project(tmp_path, "      id: {description: '{{ doc(\"id_doc\") }}'}\n")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "id.md").symlink_to(outside)
    result = run_cli(capsys, "compile", "--project-dir", root, expect=2)
    assert "doc('id_doc'): there is no docs block named 'id_doc'" in result.err
    assert "SECRET" not in result.out + result.err
