"""dbt's selection habits: space-separated selectors, a warning with did-you-mean when a selector
matches nothing (exit 0), tests selected by name and by ``resource_type:test``."""

from __future__ import annotations

from pathlib import Path

from tests.functional.helpers import run_cli, write_project

PROJECT = """
    name: sel
    targets:
      dev: {dialect: duckdb, path: target/dev.duckdb}
"""
PIPELINE = """
pipeline: p
nodes:
  - name: orders
    sql: "select * from (values (1, 5), (2, 7), (2, 9)) t(id, amount)"
    columns:
      id: {tests: [unique, not_null]}
  - name: customers
    sql: "select 1 as customer_id"
    columns:
      customer_id: {tests: [unique]}
  - name: totals
    sql: "select sum(amount) as total from {{ ref('orders') }}"
"""


def _project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "sel", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": PIPELINE})


def test_space_separated_selectors_are_a_union(tmp_path, capsys):
    root = _project(tmp_path)
    out = run_cli(capsys, "ls", "--project-dir", root, "--select", "totals", "customers").out
    assert out.split() == ["customers", "totals"] or sorted(out.split()) == ["customers", "totals"]
    out = run_cli(capsys, "ls", "--project-dir", root, "-s", "orders", "customers", "--exclude", "customers").out
    assert out.split() == ["orders"]


def test_a_selector_matching_nothing_warns_with_did_you_mean(tmp_path, capsys):
    root = _project(tmp_path)
    result = run_cli(capsys, "compile", "--project-dir", root, "-s", "ordrs")
    assert "--select 'ordrs' does not match any node. Did you mean \"orders\"?" in result.err
    assert "nothing selected" in result.out
    result = run_cli(capsys, "run", "--project-dir", root, "-s", "tag:nightly")
    assert "--select 'tag:nightly' does not match any node" in result.err
    assert "nothing to run" in result.out


def test_tests_selected_by_name_and_by_resource_type(tmp_path, capsys):
    root = _project(tmp_path)
    run_cli(capsys, "run", "--project-dir", root)
    out = run_cli(capsys, "test", "--project-dir", root, "-s", "unique_orders_id", expect=1).out
    assert "unique_orders_id" in out and "not_null_orders_id" not in out and "customers" not in out
    out = run_cli(capsys, "test", "--project-dir", root, "-s", "not_null_orders_id", "customers").out
    assert "not_null_orders_id" in out and "unique_customers_customer_id" in out
    assert "unique_orders_id" not in out
    out = run_cli(capsys, "test", "--project-dir", root, "-s", "resource_type:test", expect=1).out
    for name in ("unique_orders_id", "not_null_orders_id", "unique_customers_customer_id"):
        assert name in out
    out = run_cli(capsys, "ls", "--project-dir", root, "-s", "resource_type:test").out
    assert sorted(out.split()) == ["customers", "orders"]
