"""Node selection: dbt's grammar over a small medallion graph (bronze -> silver -> gold)."""

from __future__ import annotations

from typing import Any

import pytest

from odibi_sql.graph.dag import DAG
from odibi_sql.graph.selector import SelectableNode, SelectorError, parse_selector, select_nodes

# name: (pipeline, resource_type, tags, paths, config, parents)
_GRAPH: dict[str, tuple[str, str, set[str], tuple[str, ...], dict[str, Any], list[str]]] = {
    "raw_orders": (
        "bronze",
        "source",
        {"bronze"},
        ("pipelines/bronze.yaml",),
        {"read.connection": "landing", "read.format": "csv"},
        [],
    ),
    "raw_customers": (
        "bronze",
        "source",
        {"bronze", "pii"},
        ("pipelines/bronze.yaml",),
        {"read.connection": "erp"},
        [],
    ),
    "raw_payments": (
        "bronze",
        "source",
        {"bronze"},
        ("pipelines/bronze.yaml",),
        {"read.connection": "landing", "read.format": "parquet"},
        [],
    ),
    "country_codes": (
        "bronze",
        "seed",
        {"bronze", "reference"},
        ("pipelines/bronze.yaml", "seeds/country_codes.csv"),
        {"materialized": "table"},
        [],
    ),
    "clean_orders": (
        "silver",
        "model",
        {"silver"},
        ("pipelines/silver.yaml", "sql/silver/clean_orders.sql"),
        {
            "materialized": "incremental",
            "write.mode": "merge",
            "write.unique_key": ["order_id"],
            "write.audit_columns": True,
        },
        ["raw_orders"],
    ),
    "clean_customers": (
        "silver",
        "model",
        {"silver", "pii"},
        ("pipelines/silver.yaml", "sql/silver/clean_customers.sql"),
        {"materialized": "table", "write.mode": "overwrite"},
        ["raw_customers", "country_codes"],
    ),
    "clean_payments": (  # inline SQL: no .sql file
        "silver",
        "model",
        {"silver"},
        ("pipelines/silver.yaml",),
        {
            "materialized": "incremental",
            "write.mode": "append",
            "write.unique_key": ["payment_id", "order_id"],
            "write.audit_columns": False,
            "write.batch_size": 1000,
        },
        ["raw_payments"],
    ),
    "orders_enriched": (
        "silver",
        "model",
        {"silver"},
        ("pipelines/silver.yaml", "sql/silver/orders_enriched.sql"),
        {"materialized": "ephemeral"},
        ["clean_orders", "clean_payments"],
    ),
    "fct_orders": (
        "gold",
        "model",
        {"gold", "finance"},
        ("pipelines/gold.yaml", "sql/gold/fct_orders.sql"),
        {"materialized": "table", "write.table": "Gold.Fct_Orders", "write.partition_by": ["order_date"]},
        ["orders_enriched", "clean_customers"],
    ),
    "dim_customers": (
        "gold",
        "model",
        {"gold"},
        ("pipelines/gold.yaml", "sql/gold/dim_customers.sql"),
        {"materialized": "view", "meta": {"owner": "sales"}},  # a nested mapping, not flattened
        ["clean_customers"],
    ),
    "rpt_revenue": (
        "gold",
        "model",
        {"gold", "finance"},
        ("pipelines/gold.yaml", "sql/gold/reports/rpt_revenue.sql"),
        {"materialized": "view"},
        ["fct_orders"],
    ),
}

NODES = {
    name: SelectableNode(
        name=name,
        pipeline=pipeline,
        tags=frozenset(tags),
        paths=paths,
        config=config,
        checksum=f"sha-{name}",
        resource_type=resource_type,
    )
    for name, (pipeline, resource_type, tags, paths, config, _) in _GRAPH.items()
}
DAG_ = DAG.build({name: spec[5] for name, spec in _GRAPH.items()})

ORDER = [
    "country_codes",
    "raw_customers",
    "raw_orders",
    "raw_payments",
    "clean_customers",
    "clean_orders",
    "clean_payments",
    "dim_customers",
    "orders_enriched",
    "fct_orders",
    "rpt_revenue",
]

# rpt_revenue is new since the previous run; clean_orders changed.
PREVIOUS = {name: f"sha-{name}" for name in NODES if name != "rpt_revenue"} | {"clean_orders": "sha-old"}


def select(
    *values: str, exclude: list[str] | None = None, previous: dict[str, str] | None = None
) -> list[str]:
    return select_nodes(NODES, DAG_, list(values), exclude, previous)


def error(
    *values: str, exclude: list[str] | None = None, previous: dict[str, str] | None = None
) -> SelectorError:
    with pytest.raises(SelectorError) as info:
        select(*values, exclude=exclude, previous=previous)
    return info.value


def test_select_fixture_order_is_topological():
    assert list(DAG_.order) == ORDER


@pytest.mark.parametrize("values", [None, [], [""], ["  "]])
def test_select_nothing_given_selects_all(values):
    assert select_nodes(NODES, DAG_, values) == ORDER


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("clean_orders", ["clean_orders"]),
        ("name:clean_orders", ["clean_orders"]),
        ("clean_*", ["clean_customers", "clean_orders", "clean_payments"]),
        ("raw_?ustomers", ["raw_customers"]),
        ("[df]*", ["dim_customers", "fct_orders"]),
        ("*orders*", ["raw_orders", "clean_orders", "orders_enriched", "fct_orders"]),
        ("Clean_Orders", []),  # names are case-sensitive
        ("no_such_node", []),
    ],
)
def test_select_name(selector, expected):
    assert select(selector) == expected


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("tag:pii", ["raw_customers", "clean_customers"]),
        ("tag:fin*", ["fct_orders", "rpt_revenue"]),
        ("tag:reference", ["country_codes"]),
        ("tag:platinum", []),
    ],
)
def test_select_tag(selector, expected):
    assert select(selector) == expected


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("path:sql/silver", ["clean_customers", "clean_orders", "orders_enriched"]),
        ("path:sql/gold/", ["dim_customers", "fct_orders", "rpt_revenue"]),
        ("path:./sql/gold/reports", ["rpt_revenue"]),
        ("path:sql/*/f*.sql", ["fct_orders"]),
        (
            "path:pipelines/silver.yaml",
            ["clean_customers", "clean_orders", "clean_payments", "orders_enriched"],
        ),
        ("path:seeds", ["country_codes"]),
        ("path:sql/silver/clean", []),  # a prefix of a file name is not a folder
        ("path:.", ORDER),
        # bare values that look like paths
        ("sql/gold/reports", ["rpt_revenue"]),
        ("seeds/country_codes.csv", ["country_codes"]),
        ("pipelines/gold.yaml", ["dim_customers", "fct_orders", "rpt_revenue"]),
        ("sql\\silver\\clean_orders.sql", ["clean_orders"]),
    ],
)
def test_select_path(selector, expected):
    assert select(selector) == expected


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("pipeline:gold", ["dim_customers", "fct_orders", "rpt_revenue"]),
        ("pipeline:*l*", [n for n in ORDER if NODES[n].pipeline in {"silver", "gold"}]),
        ("pipeline:platinum", []),
    ],
)
def test_select_pipeline(selector, expected):
    assert select(selector) == expected


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("config.materialized:incremental", ["clean_orders", "clean_payments"]),
        ("config.materialized:INCREMENTAL", ["clean_orders", "clean_payments"]),
        ("config.write.mode:merge", ["clean_orders"]),
        ("config.write.unique_key:order_id", ["clean_orders", "clean_payments"]),
        ("config.write.unique_key:payment_id", ["clean_payments"]),
        ("config.write.audit_columns:true", ["clean_orders"]),
        ("config.write.audit_columns:false", ["clean_payments"]),
        ("config.write.batch_size:1000", ["clean_payments"]),
        ("config.write.table:gold.fct_orders", ["fct_orders"]),
        ("config.meta.owner:sales", ["dim_customers"]),
        ("config.read.connection:landing", ["raw_orders", "raw_payments"]),
        ("config.materialized:incr*", []),  # config values are compared, not globbed
        ("config.no_such_key:x", []),
    ],
)
def test_select_config(selector, expected):
    assert select(selector) == expected


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("resource_type:source", ["raw_customers", "raw_orders", "raw_payments"]),
        ("resource_type:seed", ["country_codes"]),
        ("resource_type:model", ORDER[4:]),
    ],
)
def test_select_resource_type(selector, expected):
    assert select(selector) == expected


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("state:modified", ["clean_orders", "rpt_revenue"]),
        ("state:new", ["rpt_revenue"]),
        ("state:modified+", ["clean_orders", "orders_enriched", "fct_orders", "rpt_revenue"]),
    ],
)
def test_select_state(selector, expected):
    assert select(selector, previous=PREVIOUS) == expected


def test_select_state_against_empty_previous_is_everything():
    assert select("state:new", previous={}) == ORDER


def test_select_state_unchanged_matches_nothing():
    unchanged = {name: f"sha-{name}" for name in NODES}
    assert select("state:modified", previous=unchanged) == []


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("+clean_customers", ["country_codes", "raw_customers", "clean_customers"]),
        ("clean_orders+", ["clean_orders", "orders_enriched", "fct_orders", "rpt_revenue"]),
        ("1+fct_orders", ["clean_customers", "orders_enriched", "fct_orders"]),
        (
            "2+fct_orders",
            [
                "country_codes",
                "raw_customers",
                "clean_customers",
                "clean_orders",
                "clean_payments",
                "orders_enriched",
                "fct_orders",
            ],
        ),
        ("raw_orders+2", ["raw_orders", "clean_orders", "orders_enriched"]),
        ("0+fct_orders+0", ["fct_orders"]),
        (
            "+orders_enriched+",
            [
                "raw_orders",
                "raw_payments",
                "clean_orders",
                "clean_payments",
                "orders_enriched",
                "fct_orders",
                "rpt_revenue",
            ],
        ),
        ("1+orders_enriched+1", ["clean_orders", "clean_payments", "orders_enriched", "fct_orders"]),
        ("@clean_orders", [n for n in ORDER if n != "dim_customers"]),
        ("@dim_customers", ["country_codes", "raw_customers", "clean_customers", "dim_customers"]),
        ("@rpt_revenue", [n for n in ORDER if n != "dim_customers"]),  # its own ancestors too
        # operators apply to the set a method matched
        ("tag:pii+1", ["raw_customers", "clean_customers", "dim_customers", "fct_orders"]),
        ("+tag:finance", [n for n in ORDER if n != "dim_customers"]),
        ("1+config.materialized:view", ["clean_customers", "dim_customers", "fct_orders", "rpt_revenue"]),
        ("+no_such_node+", []),
    ],
)
def test_select_graph_operators(selector, expected):
    assert select(selector) == expected


def test_select_union_of_space_separated_terms():
    assert select("dim_customers clean_orders") == ["clean_orders", "dim_customers"]


def test_select_union_of_multiple_values():
    assert select("clean_orders", "tag:pii") == ["raw_customers", "clean_customers", "clean_orders"]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("tag:silver,config.materialized:incremental", ["clean_orders", "clean_payments"]),
        ("+fct_orders,tag:bronze", ["country_codes", "raw_customers", "raw_orders", "raw_payments"]),
        ("pipeline:silver,config.write.unique_key:order_id,clean_p*", ["clean_payments"]),
        ("tag:gold,tag:bronze", []),
    ],
)
def test_select_intersection(selector, expected):
    assert select(selector) == expected


def test_select_exclude():
    assert select("pipeline:silver", exclude=["config.materialized:ephemeral"]) == [
        "clean_customers",
        "clean_orders",
        "clean_payments",
    ]


def test_select_exclude_without_select_starts_from_all():
    assert select_nodes(NODES, DAG_, None, ["tag:bronze tag:gold"]) == [
        "clean_customers",
        "clean_orders",
        "clean_payments",
        "orders_enriched",
    ]


def test_select_exclude_with_graph_operator():
    assert select("tag:silver", exclude=["clean_orders+"]) == ["clean_customers", "clean_payments"]


def test_select_combination_of_all_forms():
    selected = select(
        "+tag:finance,pipeline:silver config.materialized:view",
        "state:new",
        exclude=["resource_type:source tag:pii"],
        previous=PREVIOUS,
    )
    assert selected == ["clean_orders", "clean_payments", "dim_customers", "orders_enriched", "rpt_revenue"]


def test_select_output_is_topological_not_input_order():
    assert select("rpt_revenue raw_orders", "country_codes") == ["country_codes", "raw_orders", "rpt_revenue"]


def test_select_duplicates_are_listed_once():
    assert select("clean_orders clean_orders", "clean_*,clean_orders") == ["clean_orders"]


def test_select_parse_selector_criteria():
    [[first, second]] = parse_selector("2+tag:gold,config.write.mode:merge+")
    assert (first.method, first.value, first.parents, first.parents_depth) == ("tag", "gold", True, 2)
    assert (second.method, second.key, second.value) == ("config", "write.mode", "merge")
    assert (second.children, second.children_depth) == (True, None)


def test_select_error_unknown_method_did_you_mean():
    err = error("tags:silver")
    assert str(err) == (
        "--select 'tags:silver': unknown selector method 'tags'. Did you mean \"tag\"?\n"
        "  to fix: use one of: name, tag, path, pipeline, config.<key>, resource_type, state"
    )
    assert err.exit_code == 2


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        (
            "configs.materialized:view",
            "unknown selector method 'configs.materialized'. Did you mean \"config.materialized\"?",
        ),
        (
            "materialized:view",
            "unknown selector method 'materialized'. Did you mean \"config.materialized\"?",
        ),
        ("pipelines:gold", "unknown selector method 'pipelines'. Did you mean \"pipeline\"?"),
        ("xyz:1", "unknown selector method 'xyz'."),
        (":gold", "missing selector method before ':'."),
        ("tag:", "empty value for method 'tag'"),
        ("+tag:", "empty value for method 'tag'"),
        ("config.materialized:", "empty value for method 'config.materialized'"),
        ("config:view", "'config' needs a key"),
        ("+", "nothing to select: the value is empty"),
        ("@", "nothing to select: the value is empty"),
        ("@+clean_orders", "'@' cannot be combined with '+' on the left"),
        ("@2+clean_orders", "'@' cannot be combined with '+' on the left"),
        ("+@clean_orders", "'@' must come first, e.g. '@clean_orders'"),
        ("clean_orders+a", "malformed graph operator in 'clean_orders+a'"),
        ("1.5+clean_orders", "malformed graph operator in '1.5+clean_orders'"),
        ("clean_orders++", "malformed graph operator in 'clean_orders+'"),
        ("-1+clean_orders", "malformed graph operator in '-1+clean_orders'"),
        ("state:modifed", "unknown state 'modifed'. Did you mean \"modified\"?"),
        ("resource_type:modle", "unknown resource type 'modle'. Did you mean \"model\"?"),
    ],
)
def test_select_error_messages(selector, message):
    assert error(selector, previous=PREVIOUS).message == message


def test_select_error_empty_part_between_commas():
    err = error("tag:gold,,tag:finance")
    assert (err.selector, err.message) == ("tag:gold,,tag:finance", "empty part between commas")


def test_select_error_state_without_previous():
    err = error("state:modified+")
    assert str(err) == (
        "--select 'state:modified+': state:modified compares with a previous run, but no state was given\n"
        "  to fix: pass --state DIR with the target/ of a previous run (the folder holding its manifest.json)"
    )


def test_select_error_names_the_exclude_option():
    err = error("tag:gold", exclude=["state:new"])
    assert str(err).startswith("--exclude 'state:new': state:new compares with a previous run")


def test_select_error_raised_even_when_other_terms_are_valid():
    err = error("clean_orders", "tag:gold tagz:x")
    assert err.selector == "tagz:x"
