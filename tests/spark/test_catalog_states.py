"""What the Spark adapter reads about its targets (exists, table or view, columns and types), read
for many tables in one catalog call: the same answer Spark's public catalog gives table by table."""

from __future__ import annotations

import pytest

from odibi_sql.adapters import open_adapter
from odibi_sql.plan.state import TargetState
from odibi_sql.project.loader import load_project
from tests.functional.helpers import write_project
from tests.spark.engines import TARGETS

pytestmark = pytest.mark.spark

WIDE = ", ".join(f"f{i}: int" for i in range(30))  # Spark's own listing cuts such a type short


def test_states_of_many_tables_match_the_catalog_table_by_table(tmp_path, clean_spark):
    spark = clean_spark
    spark.sql("CREATE SCHEMA s")
    spark.sql(
        "CREATE TABLE s.wide (a INT, b BIGINT, c VARCHAR(10), d CHAR(3), e DECIMAL(38, 6), f TIMESTAMP, "
        "g TIMESTAMP_NTZ, h DATE, i ARRAY<STRUCT<x: INT, y: STRING>>, j MAP<STRING, DOUBLE>, "
        f"k STRUCT<{WIDE}>, l BINARY, m BOOLEAN, n ARRAY<VARCHAR(5)>, `Mixed Case` STRING) USING parquet"
    )
    spark.sql("CREATE TABLE s.Narrow USING parquet AS SELECT 1 AS id")
    spark.sql("CREATE VIEW s.v AS SELECT a, c, `Mixed Case` FROM s.wide")
    project = load_project(
        write_project(tmp_path, {"odibi_project.yaml": "name: st\n" + TARGETS}), target="spark"
    )
    adapter = open_adapter(project)
    try:
        relations = [("s", "wide"), ("s", "narrow"), ("s", "v"), ("s", "missing"), ("nope", "t")]
        states = adapter.session().states(relations)
    finally:
        adapter.close()

    for schema, table in relations[:3]:
        listed = {c.name: c.dataType for c in spark.catalog.listColumns(f"{schema}.{table}")}
        if table == "wide":
            assert listed.pop("k").endswith("... 5 more fields>")
            assert (
                states[(schema, table)].columns.pop("k")
                == f"struct<{WIDE.replace(': ', ':').replace(', ', ',')}>"
            )
        assert states[(schema, table)].columns == listed
    assert states[("s", "wide")].kind == "table" and states[("s", "narrow")].kind == "table"
    assert list(states[("s", "wide")].columns)[:3] == ["a", "b", "c"]
    assert (
        states[("s", "wide")].columns["c"] == "string"
        and states[("s", "wide")].columns["e"] == "decimal(38,6)"
    )
    assert states[("s", "v")] == TargetState(
        True, "view", {"a": "int", "c": "string", "Mixed Case": "string"}
    )
    assert states[("s", "missing")] == TargetState.missing()
    assert states[("nope", "t")] == TargetState.missing()
