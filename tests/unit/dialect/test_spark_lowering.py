"""Every parity case: its DuckDB SQL returns the expected rows on DuckDB, and lowers to the golden Spark SQL.

``tests/spark/test_dialect_parity.py`` runs the same golden Spark SQL on Spark and expects the same rows.
"""

from __future__ import annotations

import pytest

from odibi_sql.dialect import to_sql, unsupported
from tests.unit.dialect.cases import CASES
from tests.unit.dialect.harness import Case, parse, run_duckdb


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_spark_lowering_duckdb_rows(case: Case):
    assert run_duckdb(case.duckdb) == case.rows


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_spark_lowering_golden_sql(case: Case):
    assert to_sql(parse(case.duckdb, case.types), "spark", pretty=True) == case.spark


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_spark_lowering_reports_nothing_unsupported(case: Case):
    assert unsupported(parse(case.duckdb, case.types), "spark") == []


def test_spark_lowering_leaves_the_input_unchanged():
    tree = parse("SELECT date_diff('month', a, b), dayofweek(a), list(x ORDER BY y) FROM t")
    before = tree.sql("duckdb")
    to_sql(tree, "spark")
    assert tree.sql("duckdb") == before


def test_spark_lowering_units_are_covered():
    units = {case.unit for case in CASES}
    assert {
        "date_diff",
        "date_sub",
        "day_of_week",
        "day_names",
        "at_time_zone",
        "strftime",
        "regexp_replace",
        "cast_integer",
        "list_length",
        "unnest",
        "list_aggregate",
        "string_agg",
        "qualify",
        "null_ordering",
        "pivot",
        "unpivot",
        "star_exclude",
        "data_types",
    } <= units
