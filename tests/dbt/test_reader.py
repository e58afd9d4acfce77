"""Reading dbt projects: what maps to what, and every unsupported construct as one located error."""

from __future__ import annotations

import pytest

from odibi_sql.compile.compiler import compile_project
from odibi_sql.diagnostics import ProjectError
from odibi_sql.project.loader import load_project
from tests.functional.helpers import write_project

PROJECT = {
    "dbt_project.yml": """
        name: demo
        profile: demo
        models:
          demo:
            +materialized: table
            marts:
              +schema: marts
              +tags: [marts]
    """,
    "profiles.yml": """
        demo:
          target: dev
          outputs:
            dev: {type: duckdb, path: dev.duckdb, schema: analytics}
            prod: {type: duckdb, path: prod.duckdb}
            big: {type: spark, method: session, host: NA, schema: lake}
    """,
    "seeds/people.csv": "id,name,joined,score\n1,a,2024-01-01,1.5\n2,,2024-02-01,2\n",
    "models/stg.sql": "select id, name from {{ ref('people') }}",
    "models/marts/wide.sql": "{{ config(materialized='view', tags=['wide']) }}\nselect * from {{ ref('demo', 'stg') }}",
}


def _load(tmp_path, files=None, drop=(), **kwargs):
    merged = {k: v for k, v in {**PROJECT, **(files or {})}.items() if k not in drop}
    return load_project(write_project(tmp_path, merged), **kwargs)


def _errors(tmp_path, files, drop=()) -> list[str]:
    with pytest.raises(ProjectError) as info:
        _load(tmp_path, files, drop)
    return [f"{d.location.file}:{d.location.line}: {d.message}" for d in info.value.diagnostics if d.location]


def test_a_dbt_project_maps_to_a_project(tmp_path, monkeypatch):
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    project = _load(tmp_path)
    assert project.kind == "dbt" and project.target_name == "dev"
    nodes = project.nodes
    assert nodes["people"].spec.write.table == "analytics.people"
    assert {c: s.type for c, s in nodes["people"].spec.columns.items()} == {
        "id": "INTEGER",
        "name": "VARCHAR",
        "joined": "DATE",
        "score": "DOUBLE",
    }
    assert nodes["stg"].spec.write.table == "analytics.stg"
    assert project.materialized("stg").value == "table"  # folder config
    assert nodes["wide"].spec.write.table == "analytics_marts.wide"  # dbt's generate_schema_name
    assert project.materialized("wide").value == "view"  # config() wins over the folder
    assert nodes["wide"].tags == ("marts", "wide")
    compiled = compile_project(project, ["duckdb", "spark"])
    assert compiled.nodes["wide"].depends_on == ("stg",)


def test_target_and_profiles_dir_pick_the_target(tmp_path, monkeypatch):
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    assert _load(tmp_path, target="prod").nodes["stg"].spec.write.table == "main.stg"
    spark = load_project(tmp_path, target="big")
    assert spark.config.sql_dialect == "spark" and spark.nodes["stg"].spec.write.table == "lake.stg"
    elsewhere = tmp_path / "profiles_elsewhere"
    elsewhere.mkdir()
    (elsewhere / "profiles.yml").write_text(
        "demo:\n  target: x\n  outputs:\n    x: {type: duckdb, schema: other}\n"
    )
    (tmp_path / "profiles.yml").unlink()
    monkeypatch.setenv("DBT_PROFILES_DIR", str(elsewhere))
    assert load_project(tmp_path).nodes["stg"].spec.write.table == "other.stg"


def test_incremental_strategies_map_to_write_modes(tmp_path):
    project = _load(
        tmp_path,
        {
            "models/a.sql": "{{ config(materialized='incremental') }}\nselect 1 as id",
            "models/b.sql": "{{ config(materialized='incremental', unique_key='id') }}\nselect 1 as id",
            "models/c.sql": "{{ config(materialized='incremental', unique_key=['id'], incremental_strategy='merge',"
            " on_schema_change='append_new_columns') }}\nselect 1 as id",
        },
    )
    writes = {n: project.nodes[n].spec.write for n in "abc"}
    assert [writes[n].mode.value for n in "abc"] == ["append", "delete_insert", "merge"]
    assert writes["c"].unique_key == ["id"] and writes["c"].on_schema_change.value == "append_new_columns"


def test_properties_tests_are_named_as_dbt_names_them(tmp_path):
    project = _load(
        tmp_path,
        {
            "models/props.yml": """
                version: 2
                models:
                  - name: stg
                    columns:
                      - name: id
                        data_tests:
                          - unique
                          - accepted_values: {arguments: {values: [1, 2]}, config: {severity: warn}}
                          - relationships: {to: "ref('people')", field: id, where: "id > 0"}
            """
        },
    )
    tests = project.nodes["stg"].spec.columns["id"].tests
    assert tests == [
        {"unique": None, "name": "unique_stg_id"},
        {"accepted_values": {"values": [1, 2]}, "severity": "warn", "name": "accepted_values_stg_id__1__2"},
        {
            "relationships": {"to": "people", "field": "id"},
            "where": "id > 0",
            "name": "relationships_stg_id__id__ref_people_",
        },
    ]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"models/x.sql": "{{ config(materialized=var('m')) }}\nselect 1 as a"},
            "models/x.sql:1: config(materialized=...) is computed",
        ),
        (
            {"models/x.sql": "{{ config(materialized='snapshot') }}\nselect 1 as a"},
            "models/x.sql:1: materialized='snapshot'",
        ),
        (
            {"models/x.sql": "{{ config(post_hook='grant') }}\nselect 1 as a"},
            "models/x.sql:1: model config 'post_hook'",
        ),
        ({"models/x.sql": "select 1 as a\n{% set r = run_query('select 1') %}"}, "models/x.sql:2: run_query"),
        (
            {"models/x.sql": "select {{ dbt_utils.star(ref('stg')) }}"},
            "models/x.sql:1: dbt_utils.star: the package dbt_utils is not in packages.yml",
        ),
        ({"models/x.sql": "select {{ dbt.nope() }} as a"}, "models/x.sql:1: dbt.nope is not provided"),
        (
            {"tests/assert_x.sql": "{{ config(severity='fatal') }}\nselect 1 as a"},
            "tests/assert_x.sql:1: severity 'fatal' is not error or warn",
        ),
        (
            {"macros/t.sql": "{% test positive(model, column_name) %}select 1{% endtest %}"},
            "macros/t.sql:1: custom generic tests",
        ),
        (
            {"macros/s.sql": "{% macro generate_schema_name(c, n) %}x{% endmacro %}"},
            "macros/s.sql:1: macro generate_schema_name",
        ),
        (
            {
                "models/p.yml": "version: 2\nmodels:\n  - name: stg\n    columns:\n      - name: id\n        tests: [dbt_utils.at_least_one]\n"
            },
            "models/p.yml:6: generic test 'dbt_utils.at_least_one' is not supported",
        ),
        ({"models/p.yml": "version: 2\nexposures: []\n"}, "models/p.yml:2: 'exposures' in a properties file"),
        (
            {"models/p.yml": "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: t\n"},
            "models/p.yml:5: source raw.t: table raw.t is not built by this project",
        ),
        (
            {"dbt_project.yml": "name: demo\non-run-start: ['select 1']\n"},
            "dbt_project.yml:2: 'on-run-start'",
        ),
        (
            {"models/p.yml": "version: 2\nsources:\n  - name: raw\n    database: other\n    tables: []\n"},
            "models/p.yml:4: 'database' is not supported",
        ),
        (
            {"models/py_model.py": "def model(dbt, session):\n    return None\n"},
            "models/py_model.py:1: Python models",
        ),
        (
            {"snapshots/snap.sql": "{% snapshot s %}select 1{% endsnapshot %}"},
            "snapshots/snap.sql:1: snapshots",
        ),
        ({"seeds/money.csv": 'id,amount\n1,"1,000"\n'}, "seeds/money.csv:1: seed money: column 'amount'"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " not in v else None,
)
def test_unsupported_constructs_are_located_errors(tmp_path, files, expected):
    errors = _errors(tmp_path, files)
    assert any(e.startswith(expected) for e in errors), errors


def test_a_source_the_project_builds_reads_that_node_and_its_tests_test_it(tmp_path):
    sources = """
        version: 2
        sources:
          - name: raw
            schema: analytics
            freshness: {warn_after: {count: 1, period: day}}
            tables:
              - name: persons
                identifier: people
                columns:
                  - name: id
                    tests: [unique]
    """
    files = {"models/sources.yml": sources, "models/stg.sql": "select * from {{ source('raw', 'persons') }}"}
    project = _load(tmp_path, files)
    assert project.source_aliases == {("raw", "persons"): "people"}
    tests = project.nodes["people"].spec.columns["id"].tests
    assert tests == [{"unique": None, "name": "source_unique_raw_persons_id"}]
    assert compile_project(project, ["duckdb"]).nodes["stg"].depends_on == ("people",)


def test_packages_name_the_macros_that_are_missing(tmp_path):
    files = {
        "packages.yml": "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n",
        "models/keyed.sql": "select {{ dbt_utils.generate_surrogate_key(['id', 'name']) }} as k, id from {{ ref('stg') }}",
    }
    project = _load(tmp_path, files)
    compiled = compile_project(project, ["duckdb"])
    sql = compiled.nodes["keyed"].sql["duckdb"].lower()
    assert "md5(" in sql and "_dbt_utils_surrogate_key_null_" in sql
    errors = _errors(tmp_path, {**files, "models/star.sql": "select {{ dbt_utils.star(ref('stg')) }} from x"})
    assert errors == [
        "models/star.sql:1: dbt_utils.star is not provided by odibi-sql (dbt reads it from a package or adapter)"
    ]
