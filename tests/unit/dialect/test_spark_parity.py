"""Run every parity case's golden Spark SQL on a real Spark session: same rows as DuckDB.

One module-scoped local[1] session, configured with ``session_settings`` from ``dialects/spark.yaml``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any

import pytest

pytest.importorskip("pyspark")

from odibi_sql.dialect import capabilities, to_sql  # noqa: E402
from tests.unit.dialect.cases import CASES  # noqa: E402
from tests.unit.dialect.harness import Case, normalize, parse  # noqa: E402

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[1]")
        .appName("odibi-sql-dialect-parity")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("warehouse")))
    )
    for key, value in capabilities("spark").session_settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _spark_rows(spark, sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql``; TIMESTAMP (instant) columns come back as local wall time and are made naive UTC."""
    from pyspark.sql.types import TimestampType

    frame = spark.sql(sql)
    instants = [isinstance(field.dataType, TimestampType) for field in frame.schema.fields]
    rows = []
    for row in frame.collect():
        values = [
            value.astimezone(dt.UTC).replace(tzinfo=None) if instant and value is not None else value
            for value, instant in zip(row, instants, strict=True)
        ]
        rows.append(normalize(tuple(values)))
    return rows


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_spark_parity_rows(spark, case: Case):
    sql = to_sql(parse(case.duckdb, case.types), "spark")
    assert _spark_rows(spark, sql) == case.rows
