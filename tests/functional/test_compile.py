"""`odibi-sql compile` and `ls` on real projects in tmp dirs, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from odibi_sql.artifacts.manifest import Manifest
from tests.functional.helpers import execute_compiled, run_cli, write_project
from tests.functional.projects import SHOP


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_project(tmp_path / "shop", SHOP)


def test_compile_writes_sql_and_manifest_that_execute_on_duckdb(shop, capsys):
    result = run_cli(capsys, "compile", "--project-dir", shop, "--dialect", "duckdb", "--dialect", "spark")
    assert "Compiled 7 nodes for duckdb, spark" in result.out
    for dialect in ("duckdb", "spark"):
        assert (shop / "target/compiled" / dialect / "silver/clean_orders.sql").is_file()
        assert (shop / "target/compiled" / dialect / "silver/clean_orders.incremental.sql").is_file()
    assert not (shop / "target/compiled/duckdb/silver/orders_labeled.sql").exists()  # ephemeral: inlined
    manifest = json.loads((shop / "target/manifest.json").read_text())
    assert manifest["schema_version"] == "odibi-sql/manifest/v1"
    clean = manifest["nodes"]["clean_orders"]
    assert clean["depends_on"] == ["orders_labeled"]
    assert clean["tags"] == ["silver"]
    assert {c["name"]: c["type"] for c in clean["columns"]} == {
        "order_id": "BIGINT",
        "customer_id": "BIGINT",
        "status_label": "VARCHAR",
        "amount": "DOUBLE",
        "updated_at": "TIMESTAMP",
    }
    assert "ephemeral__orders_labeled" in clean["compiled_sql"]["duckdb"]
    assert len(clean["checksum"]) == 64
    jsonschema.validate(manifest, Manifest.model_json_schema())  # the manifest is what its schema says

    con = execute_compiled(shop)
    assert con.sql("select * from gold.revenue_by_state order by state").fetchall() == [
        ("RJ", 1, 30.0, 1),
        ("SP", 2, 20.5, 2),
    ]
    assert con.sql("select count(*) from silver.customer_orders").fetchall() == [(3,)]


def test_compile_incremental_query_reads_only_rows_past_the_watermark(shop, capsys):
    run_cli(capsys, "compile", "--project-dir", shop)
    manifest = json.loads((shop / "target/manifest.json").read_text())
    incremental_sql = manifest["nodes"]["clean_orders"]["incremental_sql"]["duckdb"]
    con = execute_compiled(shop)  # creates silver.clean_orders from the full query
    assert con.sql(incremental_sql).fetchall() == []  # nothing newer than the target's max(updated_at)
    con.execute("delete from silver.clean_orders where order_id in (3, 4)")
    assert sorted(r[0] for r in con.sql(incremental_sql).fetchall()) == [3, 4]
    con.execute("delete from silver.clean_orders")
    assert len(con.sql(incremental_sql).fetchall()) == 4  # an empty target has no watermark: all rows


def test_compile_env_overlay_merges_vars_and_target(shop, capsys):
    run_cli(capsys, "compile", "--project-dir", shop, "--env", "prod")
    manifest = json.loads((shop / "target/manifest.json").read_text())
    assert manifest["metadata"]["env"] == "prod"
    assert "> 10" in manifest["nodes"]["clean_orders"]["compiled_sql"]["duckdb"]
    con = execute_compiled(shop)
    assert con.sql("select order_id from silver.clean_orders order by 1").fetchall() == [(1,), (3,)]


def test_compile_vars_on_the_command_line_win(shop, capsys):
    run_cli(capsys, "compile", "--project-dir", shop, "--env", "prod", "--vars", "{min_amount: 20}")
    con = execute_compiled(shop)
    assert con.sql("select order_id from silver.clean_orders").fetchall() == [(3,)]


def test_compile_unknown_env_is_an_error(shop, capsys):
    result = run_cli(capsys, "compile", "--project-dir", shop, "--env", "qa", expect=2)
    assert "env.qa.yaml" in result.err


def test_overlay_error_points_into_the_overlay_file(shop, capsys):
    (shop / "env.prod.yaml").write_text("targets:\n  dev: {dialect: duckdb, pth: x}\n")
    result = run_cli(capsys, "compile", "--project-dir", shop, "--env", "prod", expect=2)
    assert "env.prod.yaml:2:" in result.err
    assert "unknown key 'pth'" in result.err
    assert 'Did you mean "path"?' in result.err


def test_ls_selects_with_graph_operators(shop, capsys):
    out = run_cli(capsys, "ls", "--project-dir", shop, "--select", "+clean_orders").out.split()
    assert out == ["raw_orders", "status_map", "orders_labeled", "clean_orders"]
    out = run_cli(
        capsys, "ls", "--project-dir", shop, "-s", "tag:silver,config.materialized:table"
    ).out.split()
    assert out == ["customer_orders"]
    out = run_cli(
        capsys, "ls", "--project-dir", shop, "-s", "raw_customers+", "--exclude", "tag:bronze"
    ).out.split()
    assert out == ["revenue_by_state"]


def test_compile_select_writes_only_selected_nodes(shop, capsys):
    result = run_cli(capsys, "compile", "--project-dir", shop, "--select", "tag:gold")
    assert "Compiled 1 node for duckdb" in result.out
    assert (shop / "target/compiled/duckdb/gold/revenue_by_state.sql").is_file()
    assert not (shop / "target/compiled/duckdb/silver").exists()


def test_compile_drops_what_a_killed_compile_left_staged(shop, capsys):
    run_cli(capsys, "compile", "--project-dir", shop)
    compiled = shop / "target/compiled/duckdb/silver/clean_orders.sql"
    before = compiled.read_text()
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()  # a compile killed mid-way leaves target/.compiled-<its pid>/ behind
    staged = shop / "target" / f".compiled-{killed.pid}"
    (staged / "compiled/duckdb/silver").mkdir(parents=True)
    (staged / "compiled/duckdb/silver/clean_orders.sql").write_text("select 'half written'\n")
    run_cli(capsys, "compile", "--project-dir", shop)
    assert not staged.exists()
    assert compiled.read_text() == before
    assert [p.name for p in (shop / "target").iterdir() if p.name.startswith(".")] == []


def test_state_modified_selects_changed_nodes_and_children(shop, capsys, tmp_path):
    run_cli(capsys, "compile", "--project-dir", shop)
    state = tmp_path / "state"
    state.mkdir()
    (state / "manifest.json").write_text((shop / "target/manifest.json").read_text())
    assert (
        run_cli(capsys, "ls", "--project-dir", shop, "-s", "state:modified", "--state", state).out.split()
        == []
    )
    sql = shop / "sql/clean_orders.sql"
    sql.write_text(sql.read_text().replace("amount,", "amount * 1 as amount,"))
    out = run_cli(capsys, "ls", "--project-dir", shop, "-s", "state:modified+", "--state", state).out.split()
    assert out == ["clean_orders", "customer_orders", "revenue_by_state"]


def test_state_without_a_manifest_is_an_error(shop, capsys, tmp_path):
    result = run_cli(
        capsys, "ls", "--project-dir", shop, "-s", "state:modified", "--state", tmp_path, expect=2
    )
    assert "cannot read a previous manifest" in result.err


def test_unknown_selector_method_suggests(shop, capsys):
    result = run_cli(capsys, "ls", "--project-dir", shop, "-s", "tags:gold", expect=2)
    assert 'Did you mean "tag"?' in result.err


FILE_SOURCES = {
    "odibi_project.yaml": """
        name: files
        targets:
          dev: {dialect: duckdb, path: target/w.duckdb}
        connections:
          landing: {type: files, path: data}
    """,
    "data/here.csv": "id;name\n1;a\n",
    "pipelines/p.yaml": """
        pipeline: p
        nodes:
          - name: here
            read: {connection: landing, format: csv, path: here.csv}
          - name: later
            read: {connection: landing, format: csv, path: "later_*.csv"}
            columns: {id: {type: BIGINT}}
    """,
}


def test_compiled_spark_sql_of_a_file_source_is_its_external_table(tmp_path, capsys):
    """Spark has no read_csv: the compiled file shows what runs, the external table over the files
    (columns and csv dialect as DuckDB detects them) and its refresh, then the query reading it;
    files not there yet are described when the node runs, and the file says so."""
    root = write_project(tmp_path / "files", FILE_SOURCES)
    run_cli(capsys, "compile", "--project-dir", root, "--dialect", "spark")
    here = (root / "target/compiled/spark/p/here.sql").read_text()
    create, refresh, query = here.split(";\n")
    assert create.startswith("CREATE TABLE IF NOT EXISTS `odibi_meta`.`__odibi_files_")
    assert "`id` BIGINT" in create and "'sep'=';'" in create and "'mode'='FAILFAST'" in create
    table = create.split()[5]
    assert refresh == f"REFRESH TABLE {table}" and query.split() == ["SELECT", "*", "FROM", table]
    later = (root / "target/compiled/spark/p/later.sql").read_text()
    assert later.startswith("-- the files' external tables are described when the node runs")
    assert "READ_CSV(" in later
