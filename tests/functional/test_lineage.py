"""`odibi-sql lineage` through the real CLI: formats, impact analysis, errors, the manifest."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import jsonschema
import pytest

from odibi_sql.lineage.records import SCHEMA_PATH, json_schema
from tests.functional.helpers import run_cli
from tests.unit.lineage.projects import write_lineage_project

FACET_SHAPE = {
    "type": "object",
    "required": ["fields"],
    "properties": {
        "_producer": {"type": "string"},
        "_schemaURL": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["inputFields"],
                "properties": {"inputFields": {"type": "array", "items": {"$ref": "#/$defs/inputField"}}},
            },
        },
        "dataset": {"type": "array", "items": {"$ref": "#/$defs/inputField"}},
    },
    "$defs": {
        "inputField": {
            "type": "object",
            "required": ["namespace", "name", "field"],
            "properties": {
                "namespace": {"type": "string"},
                "name": {"type": "string"},
                "field": {"type": "string"},
                "transformations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["type"],
                        "properties": {
                            "type": {"enum": ["DIRECT", "INDIRECT"]},
                            "subtype": {
                                "enum": [
                                    "IDENTITY",
                                    "TRANSFORMATION",
                                    "AGGREGATION",
                                    "JOIN",
                                    "FILTER",
                                    "GROUP_BY",
                                    "SORT",
                                    "WINDOW",
                                    "CONDITIONAL",
                                ]
                            },
                            "description": {"type": "string"},
                            "masking": {"type": "boolean"},
                        },
                    },
                },
            },
        }
    },
}
"""The columnLineage facet's shape (OpenLineage facet spec 1-2-0), written from the spec's docs."""


@pytest.fixture
def lin(tmp_path: Path) -> Path:
    return write_lineage_project(tmp_path / "lin")


def lineage_json(capsys, project: Path, *args: str) -> dict:
    result = run_cli(capsys, "lineage", "--project-dir", project, "--format", "json", *args)
    document = json.loads(result.out)
    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))
    return document


def test_lineage_shipped_schema_matches_the_models():
    assert json.loads(SCHEMA_PATH.read_text()) == json.loads(json.dumps(json_schema()))


def test_lineage_json_of_the_whole_project_validates_and_holds_every_column(lin, capsys):
    document = lineage_json(capsys, lin)
    assert document["focus"] is None
    enriched = document["nodes"]["orders_enriched"]
    assert enriched["relation"] == "silver.orders_enriched"
    assert enriched["columns"]["customer_name"]["inputs"] == [
        {
            "node": "customers_eph",
            "relation": "silver.customers_eph",
            "column": "name",
            "transformations": [{"type": "DIRECT", "subtype": "IDENTITY", "masking": False}],
        }
    ]
    assert {(i["node"], i["column"]) for i in enriched["dataset"]} == {
        ("raw_orders", "status"),
        ("raw_orders", "customer_id"),
        ("customers_eph", "customer_id"),
    }
    crm = document["nodes"]["crm_copy"]["columns"]["tier"]  # read from the attached database
    assert crm["inputs"][0]["relation"] == "erp.main.crm_customers" and crm["issues"] == []


def test_lineage_upstream_of_a_column_composes_hops_to_the_files(lin, capsys):
    document = lineage_json(capsys, lin, "customer_revenue.revenue")
    assert document["focus"] == {
        "node": "customer_revenue",
        "column": "revenue",
        "direction": "upstream",
        "depth": None,
    }
    composed = {(i["node"], i["relation"], i["column"]): i["transformations"] for i in document["composed"]}
    # amount -> amount * 1.1 -> sum(...): an aggregation end to end, and it also filters (HAVING)
    assert {(t["type"], t["subtype"]) for t in composed[(None, "data/orders.csv", "amount")]} == {
        ("DIRECT", "AGGREGATION"),
        ("INDIRECT", "FILTER"),
    }
    # status filters orders_enriched's rows: revenue's own input and the group key both see it
    assert {(t["type"], t["subtype"]) for t in composed[("raw_orders", "bronze.raw_orders", "status")]} == {
        ("INDIRECT", "FILTER"),
        ("INDIRECT", "GROUP_BY"),
    }
    assert composed[("raw_customers", "bronze.raw_customers", "segment")][0]["subtype"] == "FILTER"
    assert set(document["nodes"]) == {
        "customer_revenue",
        "orders_enriched",
        "customers_eph",
        "raw_orders",
        "raw_customers",
    }
    assert document["nodes"]["orders_enriched"]["columns"]["amount_with_tax"]["distance"] == 1


def test_lineage_accepts_the_schema_qualified_relation_of_a_node(lin, capsys):
    """Issue 18: ``gold.customer_revenue.revenue`` names the same column as ``customer_revenue.revenue``."""
    by_node = lineage_json(capsys, lin, "customer_revenue.revenue")
    for focus in ("gold.customer_revenue.revenue", "GOLD.Customer_Revenue.REVENUE"):
        assert lineage_json(capsys, lin, focus) == by_node
    whole = lineage_json(capsys, lin, "gold.customer_revenue")
    assert whole["focus"]["node"] == "customer_revenue" and whole["focus"]["column"] is None


def test_lineage_downstream_of_a_source_column_lists_every_column_that_changes(lin, capsys):
    document = lineage_json(capsys, lin, "raw_orders.status", "--downstream")
    impacted = {(i["node"], i["column"]) for i in document["composed"]}
    # status renamed in chained, copied by orders_star, and filters orders_enriched (so all of
    # it, and customer_revenue built from it, change)
    assert impacted == {
        ("chained", "order_status"),
        ("orders_star", "status"),
        *(
            ("orders_enriched", c)
            for c in [
                "order_id",
                "customer_id",
                "customer_name",
                "size",
                "amount_with_tax",
                "email_hash",
                "order_seq",
            ]
        ),
        *(("customer_revenue", c) for c in ["customer_id", "orders", "revenue", "name"]),
    }
    kinds = {
        (i["node"], i["column"]): {t["subtype"] for t in i["transformations"]} for i in document["composed"]
    }
    assert kinds[("chained", "order_status")] == {"IDENTITY"}
    assert kinds[("orders_enriched", "size")] == {"FILTER"}


def test_lineage_depth_limits_the_walk(lin, capsys):
    document = lineage_json(capsys, lin, "customer_revenue.revenue", "--depth", "1")
    assert set(document["nodes"]) == {"customer_revenue", "orders_enriched"}
    assert {(i["node"], i["column"]) for i in document["composed"]} == {
        ("orders_enriched", "amount_with_tax"),
        ("orders_enriched", "customer_id"),
    }


def test_lineage_table_shows_a_tree_with_types(lin, capsys):
    result = run_cli(capsys, "lineage", "--project-dir", lin, "customer_revenue.revenue")
    assert "customer_revenue.revenue" in result.out
    assert "orders_enriched.amount_with_tax AGGREGATION" in result.out
    assert "raw_orders.amount TRANSFORMATION" in result.out
    assert "data/orders.csv → amount IDENTITY" in result.out
    assert "(all rows of orders_enriched)" in result.out
    whole = run_cli(capsys, "lineage", "--project-dir", lin)
    assert "size VARCHAR ← raw_orders.amount CONDITIONAL" in whole.out
    assert "tier VARCHAR ← erp.main.crm_customers → tier IDENTITY" in whole.out  # read from the attached database
    assert "without exact lineage" not in whole.out


def test_lineage_downstream_table_counts_the_impact(lin, capsys):
    result = run_cli(capsys, "lineage", "--project-dir", lin, "raw_orders.status", "--downstream")
    assert "chained.order_status IDENTITY" in result.out
    assert "13 columns in 4 nodes would change" in result.out


def test_lineage_openlineage_events_carry_the_column_lineage_facet(lin, capsys):
    result = run_cli(capsys, "lineage", "--project-dir", lin, "--format", "openlineage")
    events = [json.loads(line) for line in result.out.splitlines()]
    by_job = {e["job"]["name"]: e for e in events}
    assert len(events) == 10
    event = by_job["lin.orders_enriched"]
    uuid.UUID(event["run"]["runId"])
    assert event["eventType"] == "COMPLETE" and event["eventTime"].endswith("Z")
    assert {"namespace": "odibi-sql://lin/dev", "name": "bronze.raw_orders"} in event["inputs"]
    (output,) = event["outputs"]
    assert output["name"] == "silver.orders_enriched"
    facet = output["facets"]["columnLineage"]
    for e in events:
        jsonschema.validate(e["outputs"][0]["facets"]["columnLineage"], FACET_SHAPE)
    assert facet["fields"]["email_hash"]["inputFields"] == [
        {
            "namespace": "odibi-sql://lin/dev",
            "name": "silver.customers_eph",
            "field": "email",
            "transformations": [
                {"type": "DIRECT", "subtype": "TRANSFORMATION", "masking": True, "description": ""}
            ],
        }
    ]
    assert {f["field"] for f in facet["dataset"]} == {"status", "customer_id"}
    schema_fields = [f["name"] for f in output["facets"]["schema"]["fields"]]
    assert schema_fields == list(facet["fields"])
    source = by_job["lin.raw_orders"]
    assert {"namespace": "file", "name": "data/orders.csv"} in source["inputs"]


def test_lineage_mermaid_and_dot_draw_columns_and_hops(lin, capsys):
    mermaid = run_cli(
        capsys, "lineage", "--project-dir", lin, "orders_enriched.size", "--format", "mermaid"
    ).out
    assert mermaid.startswith("flowchart LR\n")
    assert 'subgraph r0["orders_enriched (silver.orders_enriched)"]' in mermaid
    assert '-.->|"CONDITIONAL"|' in mermaid  # indirect influence is dotted
    assert '-->|"IDENTITY"|' in mermaid
    dot = run_cli(capsys, "lineage", "--project-dir", lin, "orders_enriched.size", "--format", "dot").out
    assert dot.startswith("digraph lineage {") and dot.rstrip().endswith("}")
    assert 'label="CONDITIONAL", style=dashed' in dot
    assert 'label="(all rows)"' in dot


@pytest.mark.parametrize(
    ("focus", "message"),
    [
        (
            "orders_enrichd",
            "there is no node or relation named 'orders_enrichd'. Did you mean \"orders_enriched\"?",
        ),
        ("orders_enriched.sise", "node 'orders_enriched' has no column 'sise'. Did you mean \"size\"?"),
    ],
)
def test_lineage_unknown_node_or_column_exits_2_with_a_suggestion(lin, capsys, focus, message):
    result = run_cli(capsys, "lineage", "--project-dir", lin, focus, expect=2)
    assert message in result.err


def test_lineage_direction_needs_a_focus(lin, capsys):
    result = run_cli(capsys, "lineage", "--project-dir", lin, "--downstream", expect=2)
    assert "need a NODE or NODE.COLUMN" in result.err


def test_lineage_is_stored_in_the_manifest(lin, capsys):
    run_cli(capsys, "compile", "--project-dir", lin)
    manifest = json.loads((lin / "target" / "manifest.json").read_text())
    lineage = manifest["nodes"]["customer_revenue"]["lineage"]
    assert lineage["columns"]["revenue"]["inputs"][0]["column"] == "amount_with_tax"
    assert {i["column"]: i["transformations"][0]["subtype"] for i in lineage["dataset"]} == {
        "customer_id": "GROUP_BY",
        "amount_with_tax": "FILTER",
    }
    schema = json.loads(SCHEMA_PATH.read_text())
    record_schema = {**schema["$defs"]["NodeRecord"], "$defs": schema["$defs"]}
    for node in manifest["nodes"].values():
        jsonschema.validate(node["lineage"], record_schema)
