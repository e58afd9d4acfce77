"""Every standard transform, every row case of its unit tests: the same canonical query rendered for
DuckDB and for Spark returns the same columns and rows on both engines.

The Spark queries run concurrently on the shared session (one Spark job each) to keep the suite
short; each case is still its own test. A case listed in ``KNOWN_DIFFERENCES`` is expected to
differ (strict xfail: it fails the suite the day it starts passing) and is documented in
docs/spark.md.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlglot

from odibi_sql.dialect import to_sql
from tests.spark.engines import duckdb_rows, normalized, spark_rows
from tests.spark.transform_cases import TransformCase, transform_cases

pytestmark = pytest.mark.spark

FILTER_ROWS = TransformCase(
    "filter_rows",
    "keeps_matching_rows",
    sqlglot.parse_one(
        "WITH src AS (SELECT * FROM (VALUES (1, 'ok'), (2, 'canceled'), (3, NULL)) AS t(id, status)) "
        "SELECT * FROM src WHERE status <> 'canceled'",
        read="duckdb",
    ),
)
CASES = [*transform_cases(), FILTER_ROWS]

KNOWN_DIFFERENCES: dict[str, str] = {
    "unpack_struct-fields_match_in_any_case": (
        "Spark rejects the case's upstream CAST of a struct literal to STRUCT<usd: DOUBLE> "
        "(DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION); DuckDB casts it"
    ),
}


def _outcome(run, sql: str):
    try:
        columns, rows = run(sql)
    except Exception as exc:  # the engine's error is the outcome to compare
        return ("error", str(exc).splitlines()[0][:300])
    return (columns, normalized(rows))


@pytest.fixture(scope="module")
def outcomes(spark):
    """{case id: (duckdb outcome, spark outcome)} for every case."""
    duck = {c.id: _outcome(duckdb_rows, to_sql(c.query, "duckdb")) for c in CASES}
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            c.id: pool.submit(_outcome, lambda sql: spark_rows(spark, sql), to_sql(c.query, "spark"))
            for c in CASES
        }
        return {i: (duck[i], f.result()) for i, f in futures.items()}


def _param(case: TransformCase):
    reason = KNOWN_DIFFERENCES.get(case.id)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_transform_same_rows_on_duckdb_and_spark(outcomes, case: TransformCase):
    duck, spark = outcomes[case.id]
    assert duck[0] != "error", f"DuckDB failed: {duck[1]}"
    assert spark == duck, f"\nSpark SQL: {to_sql(case.query, 'spark')}"


def test_transform_conformance_covers_every_standard_transform():
    from odibi_sql.transforms.registry import available

    assert {c.transform for c in CASES} == set(available())
