"""Bad input gets one clear message: file:line, what, how to fix; exit 2; nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.helpers import run_cli, write_project
from tests.functional.projects import SHOP


def _shop(tmp_path: Path, **changes: str) -> Path:
    files = dict(SHOP)
    files.update(changes)
    return write_project(tmp_path / "shop", files)


def _compile_fails(capsys, project: Path) -> str:
    result = run_cli(capsys, "compile", "--project-dir", project, expect=2)
    assert not (project / "target").exists(), "nothing may be written when the project is invalid"
    return result.err


def test_error_unknown_column_with_location(tmp_path, capsys):
    project = _shop(
        tmp_path, **{"sql/clean_orders.sql": SHOP["sql/clean_orders.sql"].replace("amount,", "amout,")}
    )
    err = _compile_fails(capsys, project)
    assert "sql/clean_orders.sql:5:5" in err
    assert 'column "amout" does not exist' in err
    assert 'Did you mean "amount"?' in err
    assert "[clean_orders]" in err


def test_error_ambiguous_column(tmp_path, capsys):
    gold = (
        SHOP["pipelines/gold.yaml"]
        .replace("select c.state,", "select state, customer_id,")
        .replace("using (customer_id)", "on o.customer_id = c.customer_id")
    )
    err = _compile_fails(capsys, _shop(tmp_path, **{"pipelines/gold.yaml": gold}))
    assert 'column "customer_id" is ambiguous' in err
    assert "pipelines/gold.yaml:6:21:" in err


def test_error_missing_ref_suggests_a_name(tmp_path, capsys):
    sql = SHOP["sql/clean_orders.sql"].replace("ref('orders_labeled')", "ref('order_labeled')")
    err = _compile_fails(capsys, _shop(tmp_path, **{"sql/clean_orders.sql": sql}))
    assert "sql/clean_orders.sql:7:" in err
    assert "ref('order_labeled'): there is no node named 'order_labeled'" in err
    assert 'Did you mean "orders_labeled"?' in err


def test_error_cycle_prints_its_path(tmp_path, capsys):
    silver = SHOP["pipelines/silver.yaml"].replace(
        "from {{ ref('raw_orders') }} o",
        "from {{ ref('raw_orders') }} o join {{ ref('clean_orders') }} x using (order_id)",
    )
    err = _compile_fails(capsys, _shop(tmp_path, **{"pipelines/silver.yaml": silver}))
    assert "the nodes form a cycle: clean_orders -> orders_labeled -> clean_orders" in err


def test_error_malformed_yaml(tmp_path, capsys):
    err = _compile_fails(
        capsys, _shop(tmp_path, **{"pipelines/gold.yaml": "pipeline: gold\nnodes:\n  - name: x\n   sql: y\n"})
    )
    assert "pipelines/gold.yaml:4:" in err
    assert "malformed YAML" in err


def test_error_unknown_key_with_suggestion(tmp_path, capsys):
    gold = SHOP["pipelines/gold.yaml"].replace(
        "- name: revenue_by_state", "- name: revenue_by_state\n            materialised: view"
    )
    err = _compile_fails(capsys, _shop(tmp_path, **{"pipelines/gold.yaml": gold}))
    assert "pipelines/gold.yaml:5:5: unknown key 'materialised' in nodes.0." in err
    assert 'Did you mean "materialized"?' in err


def test_errors_are_collected_across_files(tmp_path, capsys):
    gold = SHOP["pipelines/gold.yaml"].replace(
        "- name: revenue_by_state", "- name: revenue_by_state\n            materialised: view"
    )
    project_file = SHOP["odibi_project.yaml"].replace(
        "defaults: {materialized: table}", "defaults: {materialized: tabel}"
    )
    err = _compile_fails(
        capsys, _shop(tmp_path, **{"pipelines/gold.yaml": gold, "odibi_project.yaml": project_file})
    )
    assert "odibi_project.yaml" in err
    project_only = _shop(tmp_path / "b", **{"odibi_project.yaml": project_file})
    assert "defaults.materialized" in _compile_fails(capsys, project_only)


def test_error_invalid_sql_points_at_the_line(tmp_path, capsys):
    sql = SHOP["sql/clean_orders.sql"].replace("amount,", "amount +,")
    err = _compile_fails(capsys, _shop(tmp_path, **{"sql/clean_orders.sql": sql}))
    assert "sql/clean_orders.sql:5:" in err
    assert "SQL does not parse" in err


def test_error_unknown_transform_suggests(tmp_path, capsys):
    silver = SHOP["pipelines/silver.yaml"].replace("- filter_rows:", "- filter_row:")
    err = _compile_fails(capsys, _shop(tmp_path, **{"pipelines/silver.yaml": silver}))
    assert "unknown transform 'filter_row'" in err
    assert 'Did you mean "filter_rows"?' in err
    assert "pipelines/silver.yaml:22:9:" in err


def test_error_unknown_transform_parameter(tmp_path, capsys):
    silver = SHOP["pipelines/silver.yaml"].replace("{condition:", "{conditon:")
    err = _compile_fails(capsys, _shop(tmp_path, **{"pipelines/silver.yaml": silver}))
    assert "filter_rows: unknown parameter 'conditon'" in err
    assert 'Did you mean "condition"?' in err


def test_error_undefined_var(tmp_path, capsys):
    project_file = SHOP["odibi_project.yaml"].replace("min_amount: 0", "min_amt: 0")
    err = _compile_fails(capsys, _shop(tmp_path, **{"odibi_project.yaml": project_file}))
    assert "var('min_amount') is not defined" in err


def test_error_env_var_in_project_file(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SHOP_DB", raising=False)
    project_file = SHOP["odibi_project.yaml"].replace("target/shop.duckdb", "\"{{ env_var('SHOP_DB') }}\"")
    err = _compile_fails(capsys, _shop(tmp_path, **{"odibi_project.yaml": project_file}))
    assert "environment variable SHOP_DB is not set" in err
    assert "odibi_project.yaml:4:" in err


def test_env_var_in_project_file_is_rendered(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SHOP_MIN", "12")
    project_file = SHOP["odibi_project.yaml"].replace(
        "min_amount: 0", "min_amount: \"{{ env_var('SHOP_MIN') }}\""
    )
    project = _shop(tmp_path, **{"odibi_project.yaml": project_file})
    run_cli(capsys, "compile", "--project-dir", project)
    assert "amount > 12" in (project / "target/compiled/duckdb/silver/clean_orders.sql").read_text()


def test_error_no_project_file(tmp_path, capsys):
    result = run_cli(capsys, "compile", "--project-dir", tmp_path, expect=2)
    assert "no odibi_project.yaml" in result.err


@pytest.mark.parametrize("args", [["compile", "--dialect", "oracle"], ["ls", "--vars", "[1, 2]"]])
def test_error_bad_options(tmp_path, capsys, args):
    project = _shop(tmp_path)
    run_cli(capsys, *args, "--project-dir", project, expect=2)


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(Exception, match="no odibi_project.yaml"):
        from odibi_sql.cli.app import main

        main(["--debug", "compile", "--project-dir", str(tmp_path)])


@pytest.mark.parametrize("args", [["--help"], ["--help", "compile"]])
def test_help_lists_every_command(capsys, args):
    from odibi_sql.cli.app import COMMANDS

    out = run_cli(capsys, *args).out
    assert all(f" {name} " in out for name in COMMANDS)


def test_unknown_command_is_a_usage_error(capsys):
    assert "No such command 'comple'" in run_cli(capsys, "comple", expect=2).err


def test_the_command_process_exits_with_the_code_and_its_output_flushed(tmp_path):
    """``odibi-sql`` ends without tearing its heap down (``exit_now``): the exit code and every
    line printed must still reach the caller."""
    done = subprocess.run(
        [sys.executable, "-m", "odibi_sql", "compile", "--project-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "no odibi_project.yaml" in done.stderr and "Traceback" not in done.stderr
    ok = subprocess.run([sys.executable, "-m", "odibi_sql", "--version"], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("odibi-sql ")
