"""Sources as dbt-duckdb projects have them: raw tables in the target database itself or in an
attached database, ``source()`` with a schema-qualified table, and a schema named like the
database file. Built on real DuckDB files."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.functional.helpers import query, run_cli, write_project


def _seed_database(path: Path, schema: str, table: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(f'create schema if not exists "{schema}"')
        con.execute(
            f'create table "{schema}"."{table}" as select * from (values (1, 10.0), (2, 25.5)) t(id, amount)'
        )
    finally:
        con.close()


def test_sources_in_the_target_database_and_in_an_attached_one(tmp_path, capsys):
    root = write_project(
        tmp_path / "dd",
        {
            "odibi_project.yaml": """
                name: dd
                targets:
                  dev: {dialect: duckdb, path: target/dev.duckdb}
                connections:
                  warehouse: {type: duckdb, path: target/dev.duckdb}
                  landing: {type: duckdb, path: data/landing.duckdb}
            """,
            "pipelines/p.yaml": """
                pipeline: staging
                nodes:
                  - name: raw_orders
                    read: {connection: warehouse, format: table, table: raw.orders}
                  - name: from_target
                    sql: "select id, amount from {{ source('warehouse', 'raw.orders') }} where amount > 20"
                  - name: from_node
                    sql: "select count(*) as n from {{ ref('raw_orders') }}"
                  - name: from_attached
                    sql: "select sum(amount) as total from {{ source('landing', 'sales.orders') }}"
            """,
        },
    )
    _seed_database(root / "target/dev.duckdb", "raw", "orders")  # loaded by another tool
    _seed_database(root / "data/landing.duckdb", "sales", "orders")
    run_cli(capsys, "build", "--project-dir", root)
    assert query(root, "select * from staging.from_target", "target/dev.duckdb") == [(2, 25.5)]
    assert query(root, "select * from staging.from_node", "target/dev.duckdb") == [(2,)]
    assert query(root, "select * from staging.from_attached", "target/dev.duckdb") == [(35.5,)]
    run_cli(capsys, "build", "--project-dir", root)  # again, on the database it wrote


def test_a_schema_named_like_the_database_file(tmp_path, capsys):
    root = write_project(
        tmp_path / "bench",
        {
            "odibi_project.yaml": """
                name: bench
                targets:
                  dev: {dialect: duckdb, path: target/bench.duckdb}
            """,
            "pipelines/p.yaml": """
                pipeline: bench
                nodes:
                  - name: a
                    sql: "select 1 as id"
                  - name: b
                    sql: "select a.id + 1 as id from {{ ref('a') }} as a"
                    materialized: incremental
                    write: {mode: append}
            """,
        },
    )
    run_cli(capsys, "build", "--project-dir", root)
    run_cli(capsys, "run", "--project-dir", root)
    assert query(root, "select id from bench.bench.b order by id", "target/bench.duckdb") == [(2,)]
    out = run_cli(capsys, "show", "b", "--project-dir", root).out
    assert "Previewing node b" in out


def test_source_with_an_unknown_connection_names_it(tmp_path, capsys):
    root = write_project(
        tmp_path / "bad",
        {
            "odibi_project.yaml": "name: bad\nconnections:\n  landing: {type: duckdb, path: data/l.duckdb}\n",
            "pipelines/p.yaml": "pipeline: p\nnodes:\n  - name: x\n    sql: \"select * from {{ source('landng', 'sales.orders') }}\"\n",
        },
    )
    err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
    assert "'landng' is not a database connection. Did you mean \"landing\"?" in err
