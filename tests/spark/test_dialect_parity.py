"""Every lowering case (``tests/unit/dialect/cases.py``, one per known sqlglot mistranslation in
ENGINES.md): its golden Spark SQL returns the same rows on Spark as its DuckDB SQL on DuckDB.

``tests/unit/dialect/test_spark_lowering.py`` checks the DuckDB rows and the golden SQL itself.
"""

from __future__ import annotations

import pytest

from odibi_sql.dialect import to_sql
from tests.spark.engines import spark_rows
from tests.unit.dialect.cases import CASES
from tests.unit.dialect.harness import Case, normalize, parse

pytestmark = pytest.mark.spark


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_spark_parity_rows(spark, case: Case):
    _, rows = spark_rows(spark, to_sql(parse(case.duckdb, case.types), "spark"))
    assert [normalize(row) for row in rows] == case.rows
