"""Identifiers spelled like Spark reserved words (a ``join`` or ``union`` transform step becomes a
CTE and a table alias of that name) are quoted in Spark SQL, and the query runs on Spark."""

from __future__ import annotations

import duckdb
import pytest
from sqlglot import exp

from odibi_sql.dialect import to_sql
from tests.spark.engines import spark_rows

pytestmark = pytest.mark.spark


def _step_chain() -> exp.Select:
    """``WITH join AS (...), union AS (SELECT join.x + 1 AS order FROM join AS join) SELECT ...``,
    built with unquoted identifiers, as sqlglot's qualify leaves aliases it creates."""
    first = exp.select(exp.Literal.number(1).as_("x"))
    second = exp.select(
        exp.Add(this=exp.column("x", table="join"), expression=exp.Literal.number(1)).as_("order")
    )
    second = second.from_(
        exp.Table(this=exp.to_identifier("join"), alias=exp.TableAlias(this=exp.to_identifier("join")))
    )
    query = exp.select(exp.column("order", table="union").as_("order")).from_(
        exp.Table(this=exp.to_identifier("union"), alias=exp.TableAlias(this=exp.to_identifier("union")))
    )
    for name, body in (("join", first), ("union", second)):
        query = query.with_(exp.to_identifier(name), as_=body)
    return query


def test_reserved_step_names_are_quoted_and_run_on_spark(spark):
    query = _step_chain()
    sql = to_sql(query, "spark")
    assert "FROM `join` AS `join`" in sql and "`join`.x" in sql and "FROM `union` AS `union`" in sql
    assert spark_rows(spark, sql)[1] == [(2,)]
    assert duckdb.sql(to_sql(query, "duckdb")).fetchall() == [(2,)]


def test_names_spark_cannot_read_bare_are_quoted_and_run_on_spark(spark):
    """A file's header may hold names such as ``café`` (non-ASCII) or ``desc``: the compiled
    query runs on both engines with the same rows and names."""
    query = exp.select(exp.column("café").as_("café"), exp.column("desc"), exp.column("x_1").as_("ok")).from_(
        exp.select(
            exp.Literal.string("é").as_("café"),
            exp.Literal.number(2).as_("desc"),
            exp.Literal.number(3).as_("x_1"),
        ).subquery("t")
    )
    sql = to_sql(query, "spark")
    assert "`café`" in sql and "x_1 AS ok" in sql
    names, rows = spark_rows(spark, sql)
    assert rows == duckdb.sql(to_sql(query, "duckdb")).fetchall() == [("é", 2, 3)]
    assert names == ["café", "desc", "ok"]
