"""The Python API on a real DuckDB project, and the JSON Schemas of manifest.json and
run_results.json checked against the artifacts a build really writes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from odibi_sql import api
from tests.functional.helpers import query, write_project

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "odibi_project.yaml": """
        name: apiproj
        targets:
          dev: {dialect: duckdb, path: target/dev.duckdb}
    """,
    "pipelines/p.yaml": """
        pipeline: p
        nodes:
          - name: orders
            sql: "select * from (values (1, 10.0), (2, 30.0)) t(id, amount)"
            columns:
              id: {tests: [unique]}
          - name: big
            sql: "select id from {{ ref('orders') }} where amount > 20"
          - name: broken
            sql: "select cast('x' as integer) as id from {{ ref('orders') }}"
    """,
}


def test_load_compile_build_test_lint_lineage(tmp_path, capsys):
    root = write_project(tmp_path / "apiproj", FILES)
    project = api.load(root)
    assert api.ls(project, ["orders+"]) == ["orders", "big", "broken"]

    compiled = api.compile(project, select=["big"])
    assert compiled.selected == ["big"]
    assert compiled.nodes["big"].columns == {"id": "INT"}
    assert 'FROM "p"."orders"' in compiled.nodes["big"].sql["duckdb"]
    assert compiled.manifest == root / "target/manifest.json"

    seen = []
    result = api.build(project, on_node=seen.append)
    assert not result.success and result.exit_code == 1
    assert [r.node for r in result.failed] == ["broken"]
    assert "Conversion Error" in result.failed[0].message
    assert sorted(r.node for r in seen) == ["big", "broken", "orders"]
    assert query(root, "select id from p.big", "target/dev.duckdb") == [(2,)]

    tests = api.test(project, select=["orders"])
    assert tests.success and [t.name for t in tests.tests] == ["unique_orders_id"]

    assert api.run(project, select=["big"]).success
    report = api.lint(project)
    assert report.exit_code in (0, 1) and set(report.nodes) == {"orders", "big", "broken"}
    graph = api.lineage(project, select=["big"])
    assert "big" in graph.nodes
    assert capsys.readouterr().out == ""  # the API prints nothing

    _break(root)
    with pytest.raises(api.ProjectError, match="there is no node named 'nope'"):
        api.compile(api.load(root))


def _break(root: Path) -> Path:
    (root / "pipelines/p.yaml").write_text(
        "pipeline: p\nnodes:\n  - name: big\n    sql: \"select 1 from {{ ref('nope') }}\"\n"
    )
    return root


def test_artifacts_match_their_published_schemas(tmp_path):
    root = write_project(tmp_path / "apiproj", FILES)
    project = api.load(root)
    api.build(project)
    api.compile(project, select=["big"])  # a selected compile still writes a valid, whole manifest
    manifest = json.loads((root / "target/manifest.json").read_text())
    run_results = json.loads((root / "target/run_results.json").read_text())
    jsonschema.validate(manifest, json.loads((ROOT / "docs/schema/manifest.schema.json").read_text()))
    jsonschema.validate(run_results, json.loads((ROOT / "docs/schema/run_results.schema.json").read_text()))
    assert set(manifest["nodes"]) == {"orders", "big", "broken"}
    assert run_results["results"][0]["status"] in ("success", "error", "skipped")
