"""`odibi-sql test` on a real DuckDB file: every test kind passing and failing, severity, where,
selection, and invalid test specs (exit 2 with the file and line)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.functional.helpers import query, run_cli, write_csv, write_project

PROJECT = """
    name: dt
    targets:
      dev: {dialect: duckdb, path: target/warehouse.duckdb}
    connections:
      landing: {type: files, path: data}
"""
PIPELINE = """
pipeline: p
nodes:
  - name: customers
    read: {connection: landing, format: csv, path: customers.csv}
  - name: orders
    sql: "select * from {{ ref('raw_orders') }}"
    columns:
      id: {tests: [unique, not_null]}
      status: {tests: [{accepted_values: [created, shipped]}]}
      customer_id: {tests: [{relationships: {to: customers, field: customer_id}}]}
      amount: {tests: [{expression: "amount > 0"}]}
    tests:
      - expression: "amount < 1000"
      - unique: [customer_id, status]
  - name: raw_orders
    read: {connection: landing, format: csv, path: orders.csv}
"""
ORDERS = "id,status,customer_id,amount"
TEST_NAMES = [
    "unique_orders_id",
    "not_null_orders_id",
    "accepted_values_orders_status",
    "relationships_orders_customer_id__customers_customer_id",
    "expression_orders_amount",
    "expression_orders_amount_1000",
    "unique_orders_customer_id__status",
]


def _project(tmp_path: Path, orders: list[str], pipeline: str = PIPELINE) -> Path:
    root = write_project(tmp_path / "dt", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": pipeline})
    write_csv(root / "data/customers.csv", "customer_id,name", ["10,Ann", "11,Bob"])
    write_csv(root / "data/orders.csv", ORDERS, orders)
    return root


def _lines(out: str) -> dict[str, str]:
    """Test name -> its result line."""
    return {name: next(line for line in out.splitlines() if f" {name} " in line) for name in TEST_NAMES}


def test_every_test_kind_passes_on_clean_data(tmp_path, capsys):
    root = _project(tmp_path, ["1,created,10,5", "2,shipped,11,7", "3,created,11,9"])
    run_cli(capsys, "run", "--project-dir", root)
    out = run_cli(capsys, "test", "--project-dir", root).out
    for name, line in _lines(out).items():
        assert "PASS" in line and "[0 failing rows" in line, name
    assert "PASS=7 WARN=0 FAIL=0 ERROR=0 TOTAL=7" in out


def test_every_test_kind_fails_with_its_failing_row_count(tmp_path, capsys):
    rows = [
        "1,created,10,5",
        "1,created,10,6",  # duplicate id, and duplicate (customer_id, status)
        ",shipped,11,7",  # null id
        "4,lost,11,8",  # status not accepted
        "5,created,99,9",  # customer 99 does not exist
        "6,shipped,,-2",  # amount not > 0; a NULL customer passes relationships
        "7,canceled,10,5000",  # status not accepted; amount not < 1000
    ]
    root = _project(tmp_path, rows)
    run_cli(capsys, "run", "--project-dir", root)
    out = run_cli(capsys, "test", "--project-dir", root, expect=1).out
    lines = _lines(out)
    expected = {
        "unique_orders_id": 2,
        "not_null_orders_id": 1,
        "accepted_values_orders_status": 2,
        "relationships_orders_customer_id__customers_customer_id": 1,
        "expression_orders_amount": 1,
        "expression_orders_amount_1000": 1,
        "unique_orders_customer_id__status": 2,
    }
    for name, count in expected.items():
        assert "FAIL" in lines[name] and f"[{count} failing row" in lines[name], lines[name]
    assert "e.g. customer_id=99" in out and "e.g. status='lost'" in out
    assert "FAIL=7" in out
    results = json.loads((root / "target/run_results.json").read_text())
    assert {t["name"]: t["failures"] for t in results["tests"]} == expected
    assert results["command"] == "run" and [r["node"] for r in results["results"]] == [
        "customers",
        "raw_orders",
        "orders",
    ]  # the run's node results are kept next to the tests
    failing = next(t for t in results["tests"] if t["name"] == "not_null_orders_id")["sql"]
    assert query(root, failing) == [(None, "shipped", 11, 7)]  # the stored SQL selects the failing rows


def test_severity_warn_and_where(tmp_path, capsys):
    pipeline = PIPELINE.replace(
        "{accepted_values: [created, shipped]}", "{accepted_values: [created, shipped], severity: warn}"
    ).replace('{expression: "amount > 0"}', '{expression: "amount > 0", where: "status <> \'refund\'"}')
    root = _project(tmp_path, ["1,created,10,5", "2,lost,11,7", "3,refund,11,-4"], pipeline)
    run_cli(capsys, "run", "--project-dir", root)
    out = run_cli(capsys, "test", "--project-dir", root).out  # warnings do not fail the command
    lines = _lines(out)
    assert (
        "WARN" in lines["accepted_values_orders_status"]
        and "[2 failing rows" in lines["accepted_values_orders_status"]
    )
    assert "PASS" in lines["expression_orders_amount"]  # the refund row is outside `where`
    assert "WARN=1 FAIL=0" in out


def test_select_runs_only_the_tests_of_the_selected_nodes(tmp_path, capsys):
    pipeline = PIPELINE.replace(
        "read: {connection: landing, format: csv, path: customers.csv}",
        "read: {connection: landing, format: csv, path: customers.csv}\n"
        "    columns: {customer_id: {tests: [unique]}}",
    )
    root = _project(tmp_path, ["1,created,10,5"], pipeline)
    run_cli(capsys, "run", "--project-dir", root)
    out = run_cli(capsys, "test", "--project-dir", root, "--select", "customers").out
    assert "unique_customers_customer_id" in out and "orders" not in out
    assert "TOTAL=1" in out


def test_unknown_test_name_is_reported_with_its_location(tmp_path, capsys):
    root = _project(tmp_path, ["1,created,10,5"], PIPELINE.replace("[unique, not_null]", "[unique, not_nul]"))
    for command in ("test", "run", "build"):
        err = run_cli(capsys, command, "--project-dir", root, expect=2).err
        assert "pipelines/p.yaml:8:" in err
        assert "unknown test 'not_nul'. Did you mean \"not_null\"?" in err
    assert not (root / "target/warehouse.duckdb").exists()


def test_invalid_tests_are_all_reported_together(tmp_path, capsys):
    pipeline = (
        PIPELINE.replace("amount: {tests:", "amont: {tests:")
        .replace("field: customer_id}", "field: customer}")
        .replace("- unique: [customer_id, status]", "- {unique: [customer_id, state], severity: fatal}")
        .replace('expression: "amount < 1000"', 'expression: "amount <"')
    )
    root = _project(tmp_path, ["1,created,10,5"], pipeline)
    err = run_cli(capsys, "test", "--project-dir", root, expect=2).err
    assert "4 errors in the project" in err
    assert "pipelines/p.yaml:10:" in err and "column 'customer' does not exist in node customers" in err
    assert "pipelines/p.yaml:11:" in err and "column 'amont' does not exist in node orders" in err
    assert "pipelines/p.yaml:13:" in err and "expression is not valid SQL" in err
    assert "pipelines/p.yaml:14:" in err and "severity: Input should be 'error' or 'warn'" in err


def test_test_command_keeps_resume_working(tmp_path, capsys):
    pipeline = (
        PIPELINE
        + """  - name: bad
    sql: "select cast(status as integer) as s from {{ ref('raw_orders') }}"
"""
    )
    root = _project(tmp_path, ["1,created,10,5"], pipeline)
    run_cli(capsys, "run", "--project-dir", root, expect=1)
    run_cli(capsys, "test", "--project-dir", root)
    write_csv(root / "data/orders.csv", ORDERS, ["1,7,10,5"])
    out = run_cli(capsys, "run", "--project-dir", root, "--resume").out
    assert "TOTAL=1" in out and " bad " in out
