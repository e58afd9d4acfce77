"""One hop on single qualified queries: the SQL constructs a project may use, hand-checked."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from odibi_sql.compile.qualify import qualify_query
from odibi_sql.lineage.hop import HopTracer

SCHEMAS = {
    ("s", "t"): {"k": "INT", "v": "INT", "f": "INT", "ts": "TIMESTAMP", "arr": "INT[]", "txt": "VARCHAR"},
    ("s", "w"): {"k": "INT", "z": "INT"},
}


def trace(sql: str) -> tuple[dict[str, dict[str, list[str]]], dict[str, list[str]], HopTracer]:
    checked = qualify_query(sqlglot.parse_one(sql, read="duckdb"), SCHEMAS, "duckdb")
    assert not checked.problems, checked.problems

    def resolve(table: exp.Table):
        return (table.name, f"{table.db}.{table.name}") if table.db else None

    tracer = HopTracer(checked.query, resolve, {})
    columns = {
        name: {
            f"{r.node}.{r.column}": sorted(_label(k) for k in kinds)
            for r, kinds in tracer.output(name).items()
        }
        for name in checked.columns
    }
    dataset = {
        f"{r.node}.{r.column}": sorted(_label(k) for k in kinds) for r, kinds in tracer.dataset().items()
    }
    return columns, dataset, tracer


def _label(kind) -> str:
    return f"{kind.type}/{kind.subtype.value}" + ("+masked" if kind.masking else "")


def test_hop_scalar_subquery_composes_its_aggregate_and_its_filter():
    columns, dataset, _ = trace(
        "select t.k, (select max(w.z) from s.w as w where w.k = t.k) as mz from s.t as t"
    )
    assert columns["mz"] == {
        "w.z": ["DIRECT/AGGREGATION"],
        "w.k": ["INDIRECT/FILTER"],
        "t.k": ["INDIRECT/FILTER"],
    }
    assert dataset == {}  # the subquery's filter only shapes that column


def test_hop_subquery_in_where_filters_every_row():
    _, dataset, _ = trace("select v from s.t where k in (select k from s.w where z > 0)")
    assert dataset == {"t.k": ["INDIRECT/FILTER"], "w.k": ["INDIRECT/FILTER"], "w.z": ["INDIRECT/FILTER"]}


def test_hop_navigation_window_is_a_transformation_and_count_masks():
    columns, _, _ = trace(
        "select lag(v) over (partition by k order by ts) as prev, count(distinct v) as n, "
        "sum(v) over (partition by k) as total from s.t group by k, v, ts"
    )
    assert columns["prev"] == {
        "t.v": ["DIRECT/TRANSFORMATION"],
        "t.k": ["INDIRECT/WINDOW"],
        "t.ts": ["INDIRECT/WINDOW"],
    }
    assert columns["n"] == {"t.v": ["DIRECT/AGGREGATION+masked"]}
    assert columns["total"] == {"t.v": ["DIRECT/AGGREGATION"], "t.k": ["INDIRECT/WINDOW"]}


def test_hop_if_aggregate_filter_and_ordered_aggregate():
    columns, _, _ = trace(
        "select if(f > 0, v, 0) as pos, sum(v) filter (where f > 0) as s, "
        "string_agg(txt order by ts) as txts from s.t group by f, v"
    )
    assert columns["pos"] == {"t.f": ["INDIRECT/CONDITIONAL"], "t.v": ["DIRECT/TRANSFORMATION"]}
    assert columns["s"] == {"t.v": ["DIRECT/AGGREGATION"], "t.f": ["INDIRECT/FILTER"]}
    assert columns["txts"] == {"t.txt": ["DIRECT/AGGREGATION"], "t.ts": ["INDIRECT/SORT"]}


def test_hop_unnest_and_order_by_and_distinct_on():
    columns, dataset, _ = trace(
        "select distinct on (k) k, u.x from s.t cross join unnest(t.arr) as u(x) order by ts"
    )
    assert columns["x"] == {"t.arr": ["DIRECT/TRANSFORMATION"]}
    assert dataset == {"t.k": ["INDIRECT/GROUP_BY"], "t.ts": ["INDIRECT/SORT"]}


def test_hop_derived_table_and_nested_union():
    columns, dataset, _ = trace(
        "select d.v from (select v from s.t where f = 1 union all select z from s.w "
        "union all select k + 1 from s.w) as d"
    )
    assert columns["v"] == {
        "t.v": ["DIRECT/IDENTITY"],
        "w.z": ["DIRECT/IDENTITY"],
        "w.k": ["DIRECT/TRANSFORMATION"],
    }
    assert dataset == {"t.f": ["INDIRECT/FILTER"]}


def test_hop_star_over_an_unknown_table_is_reported_not_dropped():
    checked = qualify_query(sqlglot.parse_one("select * from s.unknown", read="duckdb"), SCHEMAS, "duckdb")
    tracer = HopTracer(checked.query, lambda t: (None, t.name), {})
    assert tracer.output("*") == {}
    (issue,) = tracer.issues
    assert issue.column == "*" and "declare the columns" in issue.hint
