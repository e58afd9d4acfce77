"""The null-count query, run on a real DuckDB against a table with awkward names."""

from __future__ import annotations

import duckdb

from odibi_sql.compile.relations import relation_table
from odibi_sql.dialect import to_sql
from odibi_sql.report.profile import profile_query

ROWS = [(1, None, "x"), (None, None, "y"), (3, "b", None), (4, "c", "z")]
COLUMNS = ["id", 'say "hi"', "Mixed Case"]


def test_profile_query_counts_rows_and_nulls_per_column():
    con = duckdb.connect()
    try:
        con.execute('create schema "my schema"')
        con.execute(
            'create table "my schema"."odd table" (id int, "say ""hi""" varchar, "Mixed Case" varchar)'
        )
        con.executemany('insert into "my schema"."odd table" values (?, ?, ?)', ROWS)
        sql = to_sql(profile_query(relation_table("my schema", "odd table"), COLUMNS), "duckdb")
        (row,) = con.execute(sql).fetchall()
    finally:
        con.close()
    expected_nulls = [sum(r[i] is None for r in ROWS) for i in range(len(COLUMNS))]
    assert list(row) == [len(ROWS), *expected_nulls]
    assert expected_nulls == [1, 2, 1]


def test_profile_query_quotes_for_spark():
    sql = to_sql(profile_query(relation_table("s", "t"), ["a`b"]), "spark")
    assert sql == "SELECT COUNT(*) AS `__rows`, COUNT(*) - COUNT(`a``b`) AS `nulls_0` FROM `s`.`t`"
