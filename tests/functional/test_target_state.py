"""Target state on DuckDB: read for every node of a run in one catalog query, and the same as
reading one relation at a time."""

from __future__ import annotations

import json

import duckdb

from odibi_sql.adapters.duckdb import DuckDBSession
from odibi_sql.plan.state import TargetState
from tests.functional.helpers import query, run_cli, write_project


def test_states_of_tables_views_and_missing_relations_in_one_query():
    con = duckdb.connect()
    try:
        con.execute('create schema "Silver"')
        con.execute('create table "Silver".orders (id integer, "Amount" double, note varchar)')
        con.execute('create view "Silver".open_orders as select id, note from "Silver".orders')
        session = DuckDBSession(con.cursor())
        relations = [
            ("Silver", "orders"),
            ("Silver", "open_orders"),
            ("Silver", "missing"),
            ("gold", "orders"),
        ]
        states = session.states(relations)
        assert states == {
            ("Silver", "orders"): TargetState(
                True, "table", {"id": "INTEGER", "Amount": "DOUBLE", "note": "VARCHAR"}
            ),
            ("Silver", "open_orders"): TargetState(True, "view", {"id": "INTEGER", "note": "VARCHAR"}),
            ("Silver", "missing"): TargetState.missing(),
            ("gold", "orders"): TargetState.missing(),
        }
        assert list(states[("Silver", "orders")].columns) == ["id", "Amount", "note"]  # column order kept
        assert all(session.state(*relation) == states[relation] for relation in relations)
        assert session.states([]) == {}
        session.close()
    finally:
        con.close()


PROJECT = """
    name: shared
    targets:
      dev: {dialect: duckdb, path: target/warehouse.duckdb, threads: 1}
"""
PIPELINE = """
    pipeline: p
    nodes:
      - name: first
        sql: "select 1 as x"
        write: {table: p.shared}
      - name: second
        sql: "select 2 as y, 3 as z"
        inputs: [first]
        write: {table: p.shared}
      - name: own
        sql: "select 4 as w"
"""


def test_a_target_two_nodes_write_is_read_when_each_node_runs(tmp_path, capsys):
    root = write_project(tmp_path / "shared", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": PIPELINE})
    run_cli(capsys, "run", "--project-dir", root)
    reasons = {
        r["node"]: r["reason"]
        for r in json.loads((root / "target" / "run_results.json").read_text())["results"]
    }
    # the second node sees the table the first one built moments before in the same run
    assert reasons == {"first": "first_run", "second": "rebuild", "own": "first_run"}
    assert query(root, "select * from p.shared") == [(2, 3)]
    run_cli(capsys, "run", "--project-dir", root)
    reasons = {
        r["node"]: r["reason"]
        for r in json.loads((root / "target" / "run_results.json").read_text())["results"]
    }
    assert reasons == {"first": "rebuild", "second": "rebuild", "own": "rebuild"}
