"""The parity corpus (``parity_corpus.py``), compiled as one project for DuckDB and Spark.

Every node is refused at compile (an error with its location), or gives the same values and type
classes on both engines, or -- only for the library differences docs/spark.md lists (Unicode case
mapping) -- differs on some values with a portability warning on that node. Nothing differs silently.
Set ``ODIBI_PARITY_VERDICTS=<file>`` to write every case's verdict there.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
import yaml
from sqlglot import exp

from odibi_sql.compile.compiler import compile_project
from odibi_sql.diagnostics import Severity
from odibi_sql.dialect import to_sql
from odibi_sql.project.loader import load_project
from tests.functional.helpers import write_project
from tests.spark import differential as d
from tests.spark import parity_corpus as corpus

pytestmark = pytest.mark.spark

SCHEMA = "parity_corpus"
INPUT = "t"


def _project(root: Path) -> Path:
    columns = ", ".join(corpus.INPUT_COLUMNS)
    casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in corpus.INPUT_COLUMNS.items())
    inputs = f"select {casts} from (values {', '.join(corpus.INPUT_ROWS)}) as v({columns})"
    # The input table is the fixture, not a case: its rows are compared separately below.
    nodes = [{"name": INPUT, "sql": inputs, "portability": "unchecked"}]
    nodes += [{"name": name, "sql": corpus.with_ref(sql, INPUT)} for name, sql in corpus.cases().items()]
    pipeline = yaml.safe_dump({"pipeline": SCHEMA, "nodes": nodes}, sort_keys=False)
    return write_project(
        root,
        {
            "odibi_project.yaml": "name: corpus\ntargets:\n  dev: {dialect: duckdb, path: target/w.duckdb}\n",
            f"pipelines/{SCHEMA}.yaml": pipeline,
        },
    )


def _outcome(run, sql: str):
    try:
        return run(sql)
    except Exception as error:
        return str(error).strip().splitlines()[0][:300]


def _create_input(con, spark, table: exp.Table, query: exp.Query) -> None:
    schema = exp.Create(this=exp.Table(this=table.args["db"].copy()), kind="SCHEMA", exists=True)
    con.execute(to_sql(schema, "duckdb"))
    con.execute(to_sql(exp.Create(this=table.copy(), kind="TABLE", expression=query), "duckdb"))
    parquet = exp.Properties(expressions=[exp.FileFormatProperty(this=exp.var("PARQUET"))])
    spark.sql(to_sql(schema, "spark"))
    spark.sql(
        to_sql(exp.Create(this=table.copy(), kind="TABLE", expression=query, properties=parquet), "spark")
    )


@pytest.fixture(scope="module")
def verdicts(spark, tmp_path_factory) -> dict[str, tuple[str, str]]:
    """``{case: (equal | refused | flagged | different | invalid, detail)}``."""
    root = _project(tmp_path_factory.mktemp("corpus") / "corpus")
    compiled = compile_project(load_project(root), ("duckdb", "spark"), tolerant=True)
    refused: dict[str, str] = {}
    warned: dict[str, str] = {}
    for diagnostic in compiled.diagnostics:
        if diagnostic.node and diagnostic.node != INPUT:
            found = refused if diagnostic.severity == Severity.ERROR else warned
            found.setdefault(diagnostic.node, diagnostic.format())
    table = compiled.nodes[INPUT].table()
    con = d.duckdb_connection()
    _create_input(con, spark, table, compiled.nodes[INPUT].query)
    read_back = exp.select("*").from_(table.copy()).order_by("id")
    assert d.normalized(d.duckdb_result(con, to_sql(read_back, "duckdb")), True) == d.normalized(
        d.spark_result(spark, to_sql(read_back, "spark")), True
    ), "the input table differs between the engines"

    verdicts: dict[str, tuple[str, str]] = {}
    for name, sql in corpus.cases().items():
        node = compiled.nodes.get(name)
        if name in refused or node is None:
            verdicts[name] = ("refused", refused.get(name, "not compiled"))
            continue
        duck = _outcome(lambda s: d.duckdb_result(con, s), node.sql["duckdb"])
        if isinstance(duck, str):
            verdicts[name] = ("invalid", f"DuckDB: {duck}")
            continue
        result = _outcome(lambda s: d.spark_result(spark, s), node.sql["spark"])
        if isinstance(result, str):
            verdicts[name] = ("different", f"Spark fails: {result}\n  {node.sql['spark']}")
            continue
        ordered = d.is_ordered(node.query)
        left, right = d.normalized(duck, ordered), d.normalized(result, ordered)
        if left == right:
            verdicts[name] = ("equal", warned.get(name, ""))
        else:
            kind = "flagged" if name in warned else "different"
            detail = f"{sql}\n  DuckDB {left}\n  Spark  {right}\n  {node.sql['spark']}"
            verdicts[name] = (kind, f"{warned.get(name, '')}\n  {detail}")
    con.close()
    if os.environ.get("ODIBI_PARITY_VERDICTS"):
        Path(os.environ["ODIBI_PARITY_VERDICTS"]).write_text(json.dumps(verdicts, indent=1))
    return verdicts


def test_corpus_is_equal_on_both_engines_or_refused(verdicts):
    counts = Counter(kind for kind, _ in verdicts.values())
    print(f"\nparity corpus: {len(verdicts)} cases: {dict(sorted(counts.items()))}")
    bad = {name: detail for name, (kind, detail) in verdicts.items() if kind in ("different", "invalid")}
    assert not bad, "\n".join(f"{n}: {t}" for n, t in bad.items())
    assert len(verdicts) >= 300 and counts["equal"] >= 250


def test_flagged_cases_are_only_the_documented_library_differences(verdicts):
    flagged = {name: detail for name, (kind, detail) in verdicts.items() if kind == "flagged"}
    assert all("case of some non-ASCII letters" in detail for detail in flagged.values()), flagged
