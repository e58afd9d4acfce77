"""lineage, lint, docs and compile --dialect spark on dbt projects, as on native ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.functional.helpers import run_cli

PROJECTS = Path(__file__).parent / "projects"


def _copy(name: str, into: Path) -> Path:
    return shutil.copytree(PROJECTS / name, into / name, ignore=shutil.ignore_patterns("_phases", "*.duckdb"))


def test_lineage_json_traces_columns_through_dbt_models(tmp_path, capsys):
    project = _copy("shop", tmp_path)
    result = run_cli(capsys, "lineage", "--project-dir", project, "--format", "json")
    lineage = json.loads(result.out)
    assert lineage["project"] == "shop" and lineage["target"] == "dev"
    nodes = lineage["nodes"]
    assert nodes["customers"]["relation"] == "main_marts.customers"
    value = nodes["customers"]["columns"]["customer_lifetime_value"]
    assert [(i["node"], i["column"]) for i in value["inputs"]] == [("stg_payments", "amount")]
    assert value["inputs"][0]["transformations"][0]["subtype"] == "AGGREGATION"
    # through the ephemeral model to the seed, and through the source to the seed it names
    assert [(i["node"], i["column"]) for i in nodes["stg_payments"]["columns"]["amount"]["inputs"]] == [
        ("raw_payments", "amount")
    ]
    assert [(i["node"], i["column"]) for i in nodes["stg_orders"]["columns"]["status"]["inputs"]] == [
        ("raw_orders", "status")
    ]


def test_lint_reads_dbt_projects_and_points_at_the_model_file(tmp_path, capsys):
    project = _copy("shop", tmp_path)
    clean = run_cli(capsys, "lint", "--project-dir", project)
    assert "no problems found" in clean.text
    (project / "models" / "staging" / "stg_typo.sql").write_text(
        "with unused as (select 1 as x)\nselect order_idd from {{ ref('stg_orders') }}\n"
    )
    result = run_cli(capsys, "lint", "--project-dir", project, "--format", "json", expect=1)
    report = json.loads(result.out)
    found = {(f["code"], f["file"], f["line"]) for f in report["findings"]}
    assert found == {("OD202", "models/staging/stg_typo.sql", 1), ("OD102", "models/staging/stg_typo.sql", 2)}


def test_compile_for_spark_and_docs_work_on_dbt_projects(tmp_path, capsys):
    for name in ("shop", "events"):
        project = _copy(name, tmp_path)
        run_cli(capsys, "compile", "--project-dir", project, "--dialect", "spark")
        spark_sql = project / "target" / "compiled" / "spark"
        assert any(spark_sql.rglob("*.sql")), name
    # the toolkit's macros use constructs not proven equal on Spark: refused, located, nothing written
    project = _copy("toolkit", tmp_path)
    refused = run_cli(capsys, "compile", "--project-dir", project, "--dialect", "spark", expect=2).text
    assert "models/people_enriched.sql:3:25: [people_enriched] spark: operator mul(integer, interval)" in refused
    assert not (project / "target" / "compiled" / "spark").exists()
    run_cli(capsys, "docs", "--project-dir", tmp_path / "shop")
    page = (tmp_path / "shop" / "target" / "report.html").read_text()
    assert "One row per customer, with their orders and lifetime value." in page  # the {% docs %} block


def test_a_failing_singular_test_fails_the_build(tmp_path, capsys):
    project = _copy("shop", tmp_path)
    (project / "tests" / "assert_no_returns.sql").write_text(
        "select order_id, status from {{ ref('orders') }} where status = 'returned'\n"
    )
    result = run_cli(capsys, "build", "--project-dir", project, expect=1)
    assert "assert_no_returns" in result.text and "1 failing row" in result.text
    run_cli(capsys, "test", "--project-dir", project, "--select", "orders", expect=1)
