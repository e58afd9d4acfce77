"""Seeds and csv sources with a dead letter on Spark: the same good rows in the table, the same
rejected rows in ``<table>__rejected`` (file, column, error type, raw line, message; Spark has no
line numbers), counted alike in the output and run_results.json, as on DuckDB."""

from __future__ import annotations

import json

import pytest
import sqlglot

from tests.functional.helpers import write_csv
from tests.spark.engines import ENGINES, TARGETS, Pair, normalized

pytestmark = pytest.mark.spark

FILES = {
    "odibi_project.yaml": "name: dl\n"
    + TARGETS
    + """
connections:
  landing: {type: files, path: data}
seeds:
  people:
    columns:
      age: {type: integer, tests: [{expression: "age >= 0", quarantine: true}]}
""",
    "pipelines/p.yaml": """
pipeline: p
nodes:
  - name: orders
    materialized: table
    read: {connection: landing, format: csv, path: "orders_*.csv", on_error: dead_letter}
    columns:
      id: {type: BIGINT}
      amount: {type: DOUBLE}
      price: {type: "DECIMAL(10, 2)"}
      day: {type: DATE}
      at: {type: TIMESTAMP}
      paid: {type: BOOLEAN}
      note: {type: VARCHAR}
  - name: plain
    read: {connection: landing, format: csv, path: "plain.csv"}
""",
}

PEOPLE = [
    "1,ann,30,x",
    "2,bob,41,y,extra",  # too many columns
    "3,cy",  # missing columns
    "4,dan,,",  # empty values
    '5,"eve, jr",-2,z',  # a quoted delimiter; quarantined (age < 0)
    "6,fay,7,w,",  # an empty field past the last column: kept, as DuckDB does
    '7,"multi\nline",8,v',  # a quoted line break
    '8,gus,9,""',  # a quoted empty value: NULL
    "9,hal,old,u",  # age does not cast
    '10,ida,1,"t,u",v',  # too many columns, with a quoted delimiter
    "11,,",  # missing columns after empty values
]
ORDERS_1 = [
    "1,2.5,1.005,2024-01-01,2024-01-01 10:00:00,true,a",
    "2,abc,1.00,2024-01-02,2024-01-02 10:00:00,false,b",  # amount does not cast
    "3,3.5,x,2024-02-30,2024-01-03 10:00:00,yes,c",  # price and day do not cast
    "4, 12 ,2.50,2024-1-9,2024-01-04T10:00,1,d",  # spaces, a short date, 'T', 1 as true
    "1.5,1e3,3,2024-01-05 ,2024-01-05,n,e",  # 1.5 rounds to 2 as an integer
    "6,6,6,2024-01-06,2024-01-06 10:00:00,maybe,f",  # paid does not cast
]
ORDERS_2 = [
    "7,7,7,2024-01-07,2024-01-07 10:00:00,0",  # missing column
    "8,x,8,2024-01-08,2024-01-08 10:00:00,t,h,i",  # amount does not cast, and too many columns
    "9,,,,,,",  # every value empty
    "10,1,1,2024-01-10,2024-01-10 10:00:00, true ,j",  # a boolean with spaces does not cast
]


def _rejected(pair: Pair, engine: str, relation: str) -> list[tuple]:
    """file (relative to the project), line, column_name, error_type, csv_line, error_message."""
    schema, table = relation.split(".")
    columns, rows = pair.table(engine, schema, table)
    assert columns == ["file", "line", "column_name", "error_type", "csv_line", "error_message"]
    root = pair.roots[engine].as_posix() + "/"
    return normalized((r[0].removeprefix(root), *r[1:]) for r in rows)


def test_good_and_rejected_rows_match_duckdb(tmp_path, capsys, clean_spark):
    pair = Pair(tmp_path, FILES, clean_spark)

    def data(root):
        write_csv(root / "seeds/people.csv", "id,name,age,tag", PEOPLE)
        write_csv(root / "data/orders_1.csv", "id,amount,price,day,at,paid,note", ORDERS_1)
        write_csv(root / "data/orders_2.csv", "id,amount,price,day,at,paid,note", ORDERS_2)
        write_csv(root / "data/plain.csv", "k;v", ["1;a", "2;b"])

    pair.each(data)
    from tests.functional.helpers import run_cli

    out = {
        e: run_cli(capsys, "build", "--project-dir", root, "--target", e).text
        for e, root in pair.roots.items()
    }
    for engine in ENGINES:
        lines = out[engine].splitlines()
        assert "6 rejected, 1 quarantined" in next(x for x in lines if "OK    people" in x), engine
        assert "8 rejected" in next(x for x in lines if "OK    orders" in x), engine
    people = pair.assert_same("seeds.people")  # columns by name: age, id, name, tag
    assert sorted(r[1] for r in people) == [1, 4, 6, 7, 8]
    assert pair.assert_same("seeds.people__quarantine", drop=["quarantined_at", "quarantine_run_id"])
    orders = pair.assert_same("p.orders")  # amount, at, day, id, note, paid, price
    assert sorted(r[3] for r in orders) == [1, 2, 4, 9]
    assert pair.assert_same("p.plain") == [(1, "a"), (2, "b")]

    for relation in ("seeds.people__rejected", "p.orders__rejected"):
        duck, spark = (_rejected(pair, e, relation) for e in ENGINES)
        assert all(r[1] is None for r in spark)  # Spark's csv reader has no line numbers
        assert all(r[1] is not None for r in duck)
        assert normalized(r[:1] + r[2:] for r in spark) == normalized(r[:1] + r[2:] for r in duck), relation

    for engine, root in pair.roots.items():
        results = json.loads((root / "target/run_results.json").read_text())["results"]
        rejected = {r["node"]: r["rows_rejected"] for r in results}
        assert rejected["people"] == 6 and rejected["orders"] == 8, (engine, rejected)

    # compiled = executed: target/compiled/spark shows the Spark SQL that ran for nodes reading files
    root = pair.roots["spark"]
    results = json.loads((root / "target/run_results.json").read_text())["results"]
    for node, path in (("people", "seeds/people"), ("orders", "p/orders"), ("plain", "p/plain")):
        compiled = _statements((root / f"target/compiled/spark/{path}.sql").read_text())
        ran = _statements(";\n".join(next(r for r in results if r["node"] == node)["statements"]))
        assert "read_csv" not in " ".join(compiled).lower(), node
        *before, query = compiled
        assert before and all(s in ran for s in before), node  # external table, its refresh, the stage
        assert any(query in s for s in ran), node  # the query the table or view is made of


def _statements(text: str) -> list[str]:
    """Spark SQL statements, each in one normal form (compiled files are pretty-printed)."""
    return [sqlglot.parse_one(s, read="spark").sql("spark") for s in text.split(";\n") if s.strip()]
