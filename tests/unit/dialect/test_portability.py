"""The Spark portability registry: well formed, and covering everything the shipped projects and
the standard transforms use (``tests/spark/test_differential.py`` proves its entries on Spark)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from odibi_sql.compile.compiler import compile_project
from odibi_sql.dialect import constructs, portability, spark, to_sql
from odibi_sql.project.loader import load_project
from tests.functional.helpers import run_cli
from tests.spark.test_materializations_conformance import FILES as MATERIALIZATIONS
from tests.spark.transform_cases import transform_cases

ROOT = Path(__file__).resolve().parents[3]
REGISTRY = portability.registry("spark")


def test_every_entry_names_a_real_lowering_and_proof_or_refusal():
    steps = {step.__name__ for step in spark.LOWERING.steps} | {"identity"}
    for key, entry in REGISTRY.entries.items():
        assert entry.lowering in steps, f"{key}: unknown lowering {entry.lowering}"
        if entry.refuse:
            assert entry.rewrite, f"{key}: a refusal says what to write instead"
        else:
            assert entry.cases, f"{key}: an allowed construct needs a differential case"


def test_patterns_match_type_classes():
    assert REGISTRY.find("operator:add(decimal, float)")[0] == "operator:add(numeric, numeric)"
    assert REGISTRY.find("operator:gt(date, timestamp)")[0] == "operator:gt(any, any)"
    assert REGISTRY.find("operator:gt(unknown, integer)") is None
    assert REGISTRY.find("cast:double -> text") is None


def _errors(tree) -> list[str]:
    return [r.message for r in portability.check(tree, "spark") if not r.warning]


def test_standard_transforms_are_portable():
    """Every construct a transform generates is allowed. The harness's own upstream rows are
    untyped VALUES, so casts of them (``cast:unknown -> ...``) are not the transform's."""
    problems = {}
    for case in transform_cases():
        found = [
            r.message
            for r in portability.check(case.query, "spark")
            if not r.warning and not r.key.startswith("cast:unknown")
        ]
        if found:
            problems[case.id] = found
    assert not problems


def _compile(root: Path):
    compiled = compile_project(load_project(root), ("spark",), tolerant=True)
    return compiled, [d.format() for d in compiled.diagnostics if d.severity == "error"]


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("portable")
    shutil.copytree(ROOT / "examples/olist", base / "olist", ignore=shutil.ignore_patterns("data", "target"))
    subprocess.run([sys.executable, str(base / "olist/generate_data.py")], check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "-m", "odibi_sql", "init", str(base / "medallion"), "--template", "local-medallion"],
        check=True,
        capture_output=True,
    )
    from tests.functional.helpers import write_csv, write_project

    conformance = write_project(base / "materializations", MATERIALIZATIONS)
    write_csv(conformance / "data/batch_1.csv", "id,grp,amount,ts", ["1,a,5.5,2024-01-01 10:00:00"])
    return {"olist": base / "olist", "medallion": base / "medallion", "materializations": conformance}


@pytest.mark.parametrize("name", ["olist", "medallion", "materializations"])
def test_shipped_projects_compile_for_spark_without_refusal(projects, name):
    compiled, errors = _compile(projects[name])
    assert compiled.nodes and not errors


@pytest.mark.parametrize("name", ["olist", "medallion", "materializations"])
def test_compiled_sql_is_the_sql_run_after_crossing_processes(projects, name):
    """A node compiled in one process is planned in another from its canonical SQL: parsed again,
    it must render exactly the Spark SQL written to target/compiled/spark."""
    import pickle

    from odibi_sql.compile.compiler import dialect_sql
    from odibi_sql.compile.file_tables import FileTables

    compiled, _ = _compile(projects[name])
    tables = FileTables()  # file readers: the external tables' statements, as the adapter runs them
    readers = 0
    for node in compiled.nodes.values():
        again = pickle.loads(pickle.dumps(node)).attach(compiled.project)
        assert dialect_sql(again, again.query, "spark", tables) == node.sql["spark"], node.name
        if node.incremental_tree is not None:
            incremental = dialect_sql(again, again.incremental_query, "spark", tables)
            assert incremental == node.incremental_sql["spark"]
        readers += "read_csv" in node.sql.get("duckdb", to_sql(node.query, "duckdb")).lower()
        assert "read_csv" not in node.sql["spark"].lower(), node.name
    tables.close()
    assert readers  # every shipped project reads files (seeds, csv sources)


REFUSED = {
    "odibi_project.yaml": """
        name: refused
        targets:
          dev: {dialect: duckdb, path: target/w.duckdb}
          spark: {dialect: spark, master: "local[1]", table_format: parquet}
    """,
    "seeds/s.csv": "id,amount,name\n1,2.5,ab\n2,3.5,cd\n",
    "pipelines/p.yaml": """
        pipeline: p
        nodes:
          - name: good
            sql: "select id, amount / 2 as half, round(amount, 1) as r from {{ ref('s') }}"
          - name: bad
            sql: |
              select id,
                list_sum([1, 2]) as total
              from {{ ref('s') }}
          - name: unioned
            sql: "select id from {{ ref('s') }} union by name select id from {{ ref('s') }}"
          - name: opted
            portability: unchecked
            sql: "select list_sum([1, 2]) as total"
    """,
}


def test_compile_for_spark_refuses_with_location_reason_and_rewrite(tmp_path, capsys):
    from tests.functional.helpers import write_project

    root = write_project(tmp_path / "p", REFUSED)
    out = run_cli(capsys, "compile", "--project-dir", root, "--dialect", "spark", expect=2).text
    assert "pipelines/p.yaml:8:9: [bad] spark: function list_sum()" in out
    assert "Spark has no list_sum" in out and "to fix: unnest the list" in out
    assert "[unioned] spark: clause union by name" in out and "UNION ALL" in out
    assert "[good]" not in out and "[opted]" not in out
    assert not (root / "target/compiled").exists()
    run_cli(capsys, "compile", "--project-dir", root, "--dialect", "duckdb")  # DuckDB: nothing to refuse


def test_lint_and_run_on_a_spark_target_report_refusals_and_unchecked_nodes(tmp_path, capsys):
    from tests.functional.helpers import write_project

    root = write_project(tmp_path / "p", REFUSED)
    out = run_cli(capsys, "lint", "--project-dir", root, "--target", "spark", expect=1).text
    assert "error OD302 [bad]" in out and "warning OD303 [opted]" in out
    out = run_cli(capsys, "run", "--project-dir", root, "--target", "spark", expect=2).text
    assert "list_sum" in out and "Traceback" not in out
    (root / "pipelines/p.yaml").write_text(
        (root / "pipelines/p.yaml").read_text().split("  - name: bad")[0]
        + '  - name: opted\n    portability: unchecked\n    sql: "select list_sum([1, 2]) as total"\n'
    )
    out = run_cli(capsys, "compile", "--project-dir", root, "--dialect", "spark").text
    assert "warning:" in out and "portability: unchecked" in out


def test_construct_keys_name_types_and_forms():
    import sqlglot

    tree = sqlglot.parse_one("SELECT CAST(1.5 AS INT), 'a' LIKE 'b' ESCAPE '!', x[1:2] FROM t", read="duckdb")
    keys = {k for k, _ in constructs.walk(tree)}
    assert {"cast:decimal -> integer", "operator:like escape", "operator:slice(unknown)"} <= keys
