"""`odibi-sql init` creates projects that compile, and whose compiled SQL runs on DuckDB."""

from __future__ import annotations

import pytest

from tests.functional.helpers import execute_compiled, run_cli


@pytest.mark.parametrize("template", ["local-medallion", "spark-delta", "minimal"])
def test_init_template_compiles_and_runs(tmp_path, capsys, template):
    project = tmp_path / "demo"
    run_cli(capsys, "init", project, "--template", template)
    assert (project / "odibi_project.yaml").read_text().startswith("name: demo\n")
    run_cli(capsys, "compile", "--project-dir", project, "--dialect", "all")
    con = execute_compiled(project)
    tables = {
        row[0]
        for row in con.sql(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    }
    assert tables
    assert (project / "target/compiled/spark").is_dir()


def test_init_local_medallion_gold_values(tmp_path, capsys):
    project = tmp_path / "demo"
    run_cli(capsys, "init", project)
    run_cli(capsys, "compile", "--project-dir", project)
    con = execute_compiled(project)
    rows = con.sql("select customer_state, orders, revenue from gold.revenue_by_state order by 1").fetchall()
    assert rows == [("MG", 1, 15.9), ("RJ", 1, 35.0), ("SP", 2, 530.75)]
    assert con.sql("select name from silver.customers where customer_id = 100").fetchall() == [("ANA SOUZA",)]


def test_init_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    result = run_cli(capsys, "init", tmp_path / "x", expect=2)
    assert "is not empty" in result.err


def test_init_unknown_template_suggests(tmp_path, capsys):
    result = run_cli(capsys, "init", tmp_path / "y", "--template", "minimum", expect=2)
    assert 'Did you mean "minimal"?' in result.err
