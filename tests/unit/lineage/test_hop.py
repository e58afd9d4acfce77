"""One hop per node on a real compiled project: every construct, against hand-checked expectations."""

from __future__ import annotations

import pytest

from odibi_sql.compile.workspace import Selection, compile_selected, open_project
from odibi_sql.lineage.build import build_lineage
from odibi_sql.lineage.graph import ProjectLineage
from tests.unit.lineage.projects import write_lineage_project


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> ProjectLineage:
    root = write_lineage_project(tmp_path_factory.mktemp("lin") / "lin")
    compiled, _ = compile_selected(open_project(root), (), Selection())
    return build_lineage(compiled)


def hop(graph: ProjectLineage, node: str, column: str) -> dict[str, list[str]]:
    """``{"node.column": ["SUBTYPE", ...]}`` (``relation -> column`` outside the project); masked ones marked."""
    inputs = graph.nodes[node].columns[column]
    return {_name(ref): _kinds(kinds) for ref, kinds in inputs.items()}


def rows(graph: ProjectLineage, node: str) -> dict[str, list[str]]:
    return {_name(ref): _kinds(kinds) for ref, kinds in graph.nodes[node].dataset.items()}


def _name(ref) -> str:
    return f"{ref.node}.{ref.column}" if ref.node else f"{ref.relation} -> {ref.column}"


def _kinds(kinds) -> list[str]:
    return sorted(k.subtype.value + ("+masked" if k.masking else "") for k in kinds)


def test_lineage_source_columns_come_from_their_file(graph):
    assert hop(graph, "raw_orders", "amount") == {"data/orders.csv -> amount": ["IDENTITY"]}
    # a declared type is a cast: the value is transformed on the way in
    assert hop(graph, "raw_customers", "customer_id") == {
        "data/customers.csv -> customer_id": ["TRANSFORMATION"]
    }
    assert graph.externals["data/orders.csv"] == "file"


def test_lineage_cte_filter_join_case_window_and_hash(graph):
    assert hop(graph, "orders_enriched", "order_id") == {"raw_orders.order_id": ["IDENTITY"]}
    assert hop(graph, "orders_enriched", "amount_with_tax") == {"raw_orders.amount": ["TRANSFORMATION"]}
    assert hop(graph, "orders_enriched", "size") == {"raw_orders.amount": ["CONDITIONAL"]}
    assert hop(graph, "orders_enriched", "email_hash") == {"customers_eph.email": ["TRANSFORMATION+masked"]}
    assert hop(graph, "orders_enriched", "order_seq") == {
        "raw_orders.customer_id": ["WINDOW"],
        "raw_orders.ordered_at": ["WINDOW"],
    }
    # the CTE's WHERE and the join keys decide which rows exist: they influence every column
    assert rows(graph, "orders_enriched") == {
        "raw_orders.status": ["FILTER"],
        "raw_orders.customer_id": ["JOIN"],
        "customers_eph.customer_id": ["JOIN"],
    }


def test_lineage_ephemeral_is_a_node_of_its_own(graph):
    assert hop(graph, "orders_enriched", "customer_name") == {"customers_eph.name": ["IDENTITY"]}
    assert graph.nodes["customers_eph"].materialized == "ephemeral"
    assert hop(graph, "customers_eph", "name") == {"raw_customers.name": ["TRANSFORMATION"]}
    # its filter stays with it, not with the nodes that inline it
    assert rows(graph, "customers_eph") == {"raw_customers.segment": ["FILTER"]}
    assert "raw_customers.segment" not in rows(graph, "orders_enriched")


def test_lineage_aggregates_group_by_and_having(graph):
    assert hop(graph, "customer_revenue", "customer_id") == {"orders_enriched.customer_id": ["IDENTITY"]}
    assert hop(graph, "customer_revenue", "revenue") == {"orders_enriched.amount_with_tax": ["AGGREGATION"]}
    assert hop(graph, "customer_revenue", "name") == {"orders_enriched.customer_name": ["AGGREGATION"]}
    assert hop(graph, "customer_revenue", "orders") == {}  # count(*) reads no column, only rows
    assert rows(graph, "customer_revenue") == {
        "orders_enriched.customer_id": ["GROUP_BY"],
        "orders_enriched.amount_with_tax": ["FILTER"],
    }


def test_lineage_union_follows_every_branch(graph):
    assert hop(graph, "movements", "amount") == {
        "raw_orders.amount": ["IDENTITY"],
        "raw_refunds.amount": ["TRANSFORMATION"],
    }
    assert hop(graph, "movements", "kind") == {}  # literals on both sides


def test_lineage_star_is_expanded_per_column(graph):
    assert list(graph.nodes["orders_star"].columns) == [
        "order_id",
        "customer_id",
        "amount",
        "status",
        "ordered_at",
    ]
    assert hop(graph, "orders_star", "status") == {"raw_orders.status": ["IDENTITY"]}
    assert graph.nodes["orders_star"].issues == []


def test_lineage_transform_steps_are_followed(graph):
    assert hop(graph, "chained", "order_status") == {"raw_orders.status": ["IDENTITY"]}
    assert hop(graph, "chained", "amount_cents") == {"raw_orders.amount": ["TRANSFORMATION"]}
    assert rows(graph, "chained") == {"raw_orders.amount": ["FILTER"]}


def test_lineage_star_over_an_attached_table_reads_its_columns(graph):
    record = graph.nodes["crm_copy"]
    assert set(record.columns) == {"id", "tier"} and not record.issues
    assert hop(graph, "crm_copy", "tier") == {"erp.main.crm_customers -> tier": ["IDENTITY"]}
