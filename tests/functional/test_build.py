"""`odibi-sql build` on a real DuckDB file: seeds, nodes and their tests in DAG order; a failing
test fails its node (rolled back) and skips its descendants; quarantine moves exactly the failing rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.helpers import query, run_cli, write_csv, write_project

PROJECT = """
    name: bd
    targets:
      dev: {dialect: duckdb, path: target/warehouse.duckdb, threads: 2}
    connections:
      landing: {type: files, path: data}
    seeds:
      status_codes:
        columns:
          status: {tests: [unique, not_null]}
"""
PIPELINE = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: orders.csv}
  - name: orders
    sql: "select o.id, o.status, o.amount from {{ ref('raw') }} o"
    columns:
      id: {tests: [unique]}
      status: {tests: [{relationships: {to: status_codes, field: status}}]}
    tests:
      - {expression: "amount < 100", severity: warn}
  - name: totals
    sql: "select status, sum(amount) as total from {{ ref('orders') }} group by status"
  - name: report
    sql: "select count(*) as statuses from {{ ref('totals') }}"
  - name: other
    sql: "select id from {{ ref('raw') }}"
"""
HEADER = "id,status,amount"


def _project(tmp_path: Path, rows: list[str], pipeline: str = PIPELINE) -> Path:
    root = write_project(tmp_path / "bd", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": pipeline})
    write_csv(root / "seeds/status_codes.csv", "status,label", ["created,Created", "shipped,Shipped"])
    write_csv(root / "data/orders.csv", HEADER, rows)
    return root


def _line(out: str, name: str) -> str:
    return next(line for line in out.splitlines() if f" {name} " in line)


def test_build_runs_seeds_nodes_and_tests_in_dag_order(tmp_path, capsys):
    root = _project(tmp_path, ["1,created,5", "2,shipped,500"])
    out = run_cli(capsys, "build", "--project-dir", root).out
    lines = out.splitlines()
    position = {name: lines.index(_line(out, name)) for name in ("status_codes", "orders", "totals")}
    tests = {
        name: lines.index(_line(out, name)) for name in ("unique_orders_id", "unique_status_codes_status")
    }
    # each node's tests are printed right under it; the seed is built before the relationships test reads it
    assert position["orders"] < tests["unique_orders_id"] < position["totals"]
    assert tests["unique_status_codes_status"] == position["status_codes"] + 1
    assert "WARN" in _line(out, "expression_orders_amount_100") and "1 failing row" in out
    assert "PASS=6 ERROR=0 SKIP=0 TOTAL=6" in out
    assert "Tests: PASS=4 FAIL=0 WARN=1 ERROR=0 TOTAL=5" in out
    assert query(root, "select statuses from p.report") == [(2,)]
    results = json.loads((root / "target/run_results.json").read_text())
    assert results["command"] == "build" and len(results["tests"]) == 5
    assert all("tests" not in r for r in results["results"])


def test_build_failing_test_fails_the_node_and_skips_its_descendants(tmp_path, capsys):
    root = _project(tmp_path, ["1,created,5", "2,shipped,7"])
    run_cli(capsys, "build", "--project-dir", root)
    write_csv(root / "data/orders.csv", HEADER, ["1,created,5", "1,lost,9", "3,shipped,1"])
    out = run_cli(capsys, "build", "--project-dir", root, expect=1).out
    assert "ERROR" in _line(out, "orders")
    assert "FAIL" in _line(out, "unique_orders_id") and "2 failing rows" in _line(out, "unique_orders_id")
    assert "e.g. status='lost'" in out
    assert "2 tests failed: unique_orders_id (2 failing rows)" in out
    assert "the target p.orders was left as it was" in out
    for name in ("totals", "report"):
        assert "SKIP" in _line(out, name)
    assert "OK" in _line(out, "other")  # not downstream of the failure
    assert "PASS=3 ERROR=1 SKIP=2 TOTAL=6" in out
    assert query(root, "select id, status from p.orders order by id") == [(1, "created"), (2, "shipped")]
    # fix the data: --resume builds only what failed or was skipped
    write_csv(root / "data/orders.csv", HEADER, ["1,created,5", "3,shipped,1"])
    out = run_cli(capsys, "build", "--project-dir", root, "--resume").out
    assert "PASS=3 ERROR=0 SKIP=0 TOTAL=3" in out
    assert query(root, "select id from p.orders order by id") == [(1,), (3,)]


QUARANTINE = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: orders.csv}
  - name: orders
    materialized: incremental
    sql: "select * from {{ ref('raw') }}"
    write: {mode: merge, unique_key: [id]}
    columns:
      status: {tests: [{accepted_values: [created, shipped], quarantine: true}]}
    tests:
      - {expression: "amount > 0", quarantine: true}
  - name: totals
    sql: "select sum(amount) as total, count(*) as n from {{ ref('orders') }}"
"""


def test_quarantine_moves_exactly_the_failing_rows(tmp_path, capsys):
    rows = ["1,created,5", "2,lost,7", "3,shipped,-1", "4,shipped,2", "5,,3"]
    root = _project(tmp_path, rows, QUARANTINE)
    out = run_cli(capsys, "build", "--project-dir", root, "--select", "raw+").out
    assert "3 rows, 2 quarantined" in _line(out, "orders")
    assert "1 row quarantined, 0 failing rows" in _line(out, "accepted_values_orders_status")
    assert "1 row quarantined, 0 failing rows" in _line(out, "expression_orders_amount_0")
    assert query(root, "select id from p.orders order by id") == [(1,), (4,), (5,)]  # NULL status passes
    assert query(root, "select total, n from p.totals") == [(10, 3)]  # downstream reads the cleaned table
    moved = query(
        root,
        "select id, status, amount, quarantine_test, quarantined_at is not null "
        "from p.orders__quarantine order by id",
    )
    assert moved == [
        (2, "lost", 7, "accepted_values_orders_status", True),
        (3, "shipped", -1, "expression_orders_amount_0", True),
    ]
    results = json.loads((root / "target/run_results.json").read_text())
    orders = next(r for r in results["results"] if r["node"] == "orders")
    assert orders["rows_quarantined"] == 2 and orders["rows_after"] == 3
    # an incremental run (plain `run` too) quarantines the new failing rows of the batch
    write_csv(root / "data/orders.csv", HEADER, ["6,created,-9", "7,created,1"])
    out = run_cli(capsys, "run", "--project-dir", root, "--select", "orders").out
    assert "1 rows, 1 quarantined" in _line(out, "orders")
    assert query(root, "select id from p.orders order by id") == [(1,), (4,), (5,), (7,)]
    assert query(root, "select id from p.orders__quarantine order by id") == [(2,), (3,), (6,)]
    # each run's rows carry its id (run_results.json's run_id)
    run_id = json.loads((root / "target/run_results.json").read_text())["run_id"]
    by_run = query(root, "select quarantine_run_id, count(*) from p.orders__quarantine group by 1 order by 2")
    assert by_run[0] == (run_id, 1) and by_run[1][1] == 2


def test_relationships_test_waits_for_a_sibling_it_reads(tmp_path, capsys):
    """A node's relationships test reads a sibling (not an ancestor, later in the DAG's order):
    build waits for the sibling instead of failing the test on a missing table."""
    pipeline = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: orders.csv}
  - name: a_lines
    sql: "select id, status from {{ ref('raw') }}"
    columns:
      id: {tests: [{relationships: {to: z_orders, field: id}}]}
  - name: z_orders
    sql: "select id, status from {{ ref('raw') }}"
"""
    root = _project(tmp_path, ["1,created,5", "2,shipped,7"], pipeline)
    out = run_cli(capsys, "build", "--project-dir", root).out
    lines = out.splitlines()
    assert lines.index(_line(out, "z_orders")) < lines.index(_line(out, "a_lines"))
    assert "PASS  relationships_a_lines_id__z_orders_id" in out
    assert "Tests: PASS=3 FAIL=0 WARN=0 ERROR=0" in out
    assert query(root, "select count(*) from p.a_lines") == [(2,)]


DOWNSTREAM_TARGET = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: orders.csv}
  - name: orders
    sql: "select id, status from {{ ref('raw') }}"
    columns:
      id: {tests: [{relationships: {to: kept, field: id}}]}
  - name: kept
    sql: "select id from {{ ref('orders') }} where status <> '{cut}'"
"""


@pytest.mark.parametrize(("cut", "passes"), [("lost", True), ("shipped", False)])
def test_relationships_test_to_a_node_that_reads_it_runs_after_the_run(tmp_path, capsys, cut, passes):
    """``kept`` reads ``orders``, so ``orders`` cannot wait for it: the test runs once both are
    built (the first build used to fail it on a missing table). A failure fails the run, and
    ``orders`` stays built: it was committed before the test could run."""
    root = _project(tmp_path, ["1,created,5", "2,shipped,7"], DOWNSTREAM_TARGET.replace("{cut}", cut))
    out = run_cli(capsys, "build", "--project-dir", root, expect=0 if passes else 1).out
    test_line = _line(out, "relationships_orders_id__kept_id")
    assert out.splitlines().index(test_line) > out.splitlines().index(_line(out, "kept"))
    assert ("PASS" in test_line) is passes and ("FAIL" in test_line) is not passes
    assert query(root, "select count(*) from p.orders") == [(2,)]
    assert query(root, "select count(*) from p.kept") == [(2 if passes else 1,)]
    results = json.loads((root / "target/run_results.json").read_text())
    assert next(r for r in results["results"] if r["node"] == "orders")["status"] == "success"
    assert [t["status"] for t in results["tests"] if t["node"] == "orders"] == ["pass" if passes else "fail"]


def test_quarantine_of_a_seed_keeps_its_dead_letter(tmp_path, capsys):
    """A seed reads its csv with a dead letter: the unparsable row is rejected, the row failing
    the quarantine test is set aside, the others are loaded (issue 18: quarantine is staged)."""
    project = PROJECT.replace(
        "status: {tests: [unique, not_null]}",
        'status: {tests: [unique, not_null]}\n          rank: {type: integer, tests: [{expression: "rank > 0", quarantine: true}]}',
    )
    root = write_project(
        tmp_path / "sq", {"odibi_project.yaml": project, "pipelines/p.yaml": "pipeline: p\nnodes: []\n"}
    )
    write_csv(root / "seeds/status_codes.csv", "status,rank", ["created,1", "lost,-2", "odd,x", "shipped,3"])
    out = run_cli(capsys, "build", "--project-dir", root).out
    assert "2 rows, 1 rejected, 1 quarantined" in _line(out, "status_codes")
    assert query(root, "select status from seeds.status_codes order by 1") == [("created",), ("shipped",)]
    assert query(root, "select status, quarantine_test from seeds.status_codes__quarantine") == [
        ("lost", "expression_status_codes_rank")
    ]
    assert query(root, "select csv_line from seeds.status_codes__rejected") == [("odd,x",)]
