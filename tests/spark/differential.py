"""Differential cases: a DuckDB SQL template evaluated on DuckDB and on Spark over typed edge inputs.

A template names its inputs by type class (``{integer}``, ``{text2}``, ...). The inputs become one
view ``t`` per combination of classes: every combination of edge values (NULL of each type, '',
0, negatives, type boundaries, month ends, leap days, microsecond timestamps, time zones,
non-ASCII text), deterministically thinned to at most ``MAX_ROWS`` rows. All expression cases
over the same inputs are evaluated in one SELECT per engine; a case whose batch fails is run alone.
The Spark SQL comes from the real compile path: the DuckDB SQL is qualified and typed against the
view's columns like a compiled node, checked against the portability registry and lowered.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from odibi_sql.compile.parse import pin_list_positions
from odibi_sql.compile.qualify import qualify_query
from odibi_sql.dialect import capabilities, portability, to_sql

SCHEMA = "global_temp"
"""Where the input views live: Spark's global temporary views (cached, analyzed once)."""
MAX_ROWS = 250

EDGES: dict[str, tuple[str, list[str]]] = {
    "integer": ("INTEGER", ["NULL", "0", "1", "-1", "2", "7", "-13", "2147483647", "-2147483648", "100"]),
    "small": ("INTEGER", ["NULL", "0", "1", "3", "-2"]),
    "decimal": (
        "DECIMAL(18, 3)",
        ["NULL", "0", "1.500", "-2.500", "2.445", "-0.005", "123456.789", "999999999999999.999"],
    ),
    "float": (
        "DOUBLE",
        [
            "NULL",
            "0.0",
            "-0.0",
            "0.5",
            "1.5",
            "2.5",
            "-2.5",
            "-0.125",
            "2.675",
            "-2.675",
            "1.005",
            "0.285",
            "1.115",
            "3.14159",
            "1e10",
            "-1e-7",
            "1234.5678",
            "'inf'",
            "'-inf'",
            "'nan'",
        ],
    ),
    "text": (
        "VARCHAR",
        [
            "NULL",
            "''",
            "'a'",
            "'Hello World'",
            "'  padded '",
            "'ß'",
            "'İstanbul'",
            "'ÉCOLE café'",
            "'日本語テキスト'",
            "'a,b,,c'",
            "'42'",
            "'-7.5'",
            "'2024-02-29'",
            "'x%y_z'",
            "'ΣΊΣΥΦΟΣ'",
        ],
    ),
    "line": (
        "VARCHAR",
        [
            "NULL",
            "''",
            "'abc'",
            "'abc' || chr(10)",
            "'a' || chr(13) || 'b'",
            "'x' || chr(11) || 'y'",
            "'tab' || chr(9) || 'end'",
            "'É é Ü'",
            "'ab12 cd_3'",
        ],
    ),
    "numtext": (
        "VARCHAR",
        [
            "NULL",
            "''",
            "'42'",
            "' 12 '",
            "'-7.5'",
            "'2.5'",
            "'1e3'",
            "'0x10'",
            "'2147483648'",
            "'abc'",
            "'+3'",
            "'1_000'",
            "'true'",
            "'T'",
            "'2024-02-29 10:00:00'",
            "'2024-02-29'",
        ],
    ),
    "word": (
        "VARCHAR",
        ["NULL", "''", "'Hello World'", "'ÉCOLE café'", "'Ünïcödé Æsir'", "'日本語'", "'mIxEd 42'"],
    ),
    "boolean": ("BOOLEAN", ["NULL", "TRUE", "FALSE"]),
    "date": (
        "DATE",
        [
            "NULL",
            "'2024-02-29'",
            "'2024-01-31'",
            "'2023-12-31'",
            "'2024-03-01'",
            "'1970-01-01'",
            "'2000-02-28'",
            "'2023-01-01'",
            "'2027-01-03'",
            "'1999-12-31'",
        ],
    ),
    "timestamp": (
        "TIMESTAMP",
        [
            "NULL",
            "'2024-02-29 23:59:59.999999'",
            "'2024-01-31 00:00:00'",
            "'1970-01-01 00:00:00.000001'",
            "'2023-12-31 12:30:45.5'",
            "'2024-03-10 02:30:00'",
            "'2024-12-30 08:00:00'",
            "'2000-01-01 00:00:00'",
        ],
    ),
    "timestamptz": (
        "TIMESTAMPTZ",
        [
            "NULL",
            "'2024-02-29 23:59:59.999999+00'",
            "'2024-03-31 01:30:00+05:30'",
            "'2023-12-31 22:00:00-08:00'",
            "'1970-01-01 00:00:00+00'",
        ],
    ),
    "list": ("INTEGER[]", ["NULL", "[]", "[1, 2, 3]", "[NULL, 1]", "[3, 1, 2, 2]", "[-5]"]),
    "textlist": ("VARCHAR[]", ["NULL", "[]", "['a', 'b']", "['a', NULL, 'ß']", "['']"]),
    "map": (
        "MAP(VARCHAR, INTEGER)",
        ["NULL", "MAP([], [])", "MAP(['a', 'b'], [1, 2])", "MAP(['a'], [NULL])"],
    ),
    "struct": (
        "STRUCT(a INTEGER, b VARCHAR)",
        ["NULL", "{'a': 1, 'b': 'x'}", "{'a': NULL, 'b': NULL}", "{'a': -3, 'b': 'é'}"],
    ),
}
"""Type class -> (DuckDB type of the input column, edge values as DuckDB SQL)."""

_PLACEHOLDER = re.compile(r"\{([a-z]+)(\d*)\}")
_QUERY = re.compile(r"^\s*(SELECT|WITH|FROM|PIVOT|UNPIVOT)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    entry: str
    index: int
    template: str

    @property
    def id(self) -> str:
        return f"{self.entry}#{self.index}"

    @property
    def inputs(self) -> tuple[str, ...]:
        """The input columns, sorted: ``integer``, ``integer2``, ``text``."""
        return tuple(sorted({m[1] + m[2] for m in _PLACEHOLDER.finditer(self.template)}))

    @property
    def is_query(self) -> bool:
        return bool(_QUERY.match(self.template))

    def sql(self, columns: dict[str, str] | None = None) -> str:
        """The template with each placeholder as its column of ``t``."""
        return _PLACEHOLDER.sub(lambda m: f"c_{m[1]}{m[2]}", self.template)


@dataclass
class Outcome:
    """What one case gave: (type class, rows) per engine, or an error."""

    case: Case
    duckdb: tuple[list[str], list[tuple]] | str | None = None
    spark: tuple[list[str], list[tuple]] | str | None = None
    spark_sql: str = ""
    pairs: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.problems and self.duckdb is not None and self.duckdb == self.spark


def registry_cases(dialect: str = "spark") -> list[Case]:
    found = portability.registry(dialect)
    assert found is not None
    return [
        Case(name, i, template)
        for name, entry in found.entries.items()
        if not entry.refuse
        for i, template in enumerate(entry.cases)
    ]


def input_class(column: str) -> str:
    return column.rstrip("0123456789")


def edge_rows(columns: Sequence[str]) -> list[tuple[str, ...]]:
    """Every combination of the columns' edge values, thinned evenly to at most MAX_ROWS."""
    product = list(itertools.product(*(EDGES[input_class(c)][1] for c in columns)))
    if len(product) <= MAX_ROWS:
        return product
    step = len(product) / MAX_ROWS
    return [product[int(i * step)] for i in range(MAX_ROWS)]


def view_name(columns: Sequence[str]) -> str:
    return "t_" + "_".join(columns) if columns else "t_none"


def view_query(columns: Sequence[str]) -> exp.Query:
    """The edge inputs as a canonical DuckDB query with typed columns ``c_<class>``."""
    rows = edge_rows(columns) if columns else [()]
    names = [f"c_{c}" for c in columns] + ["c_row"]
    values = []
    for index, row in enumerate(rows):
        cells = [
            f"CAST({value} AS {EDGES[input_class(c)][0]})" for c, value in zip(columns, row, strict=True)
        ] + [str(index)]
        values.append("(" + ", ".join(cells) + ")")
    sql = f"SELECT * FROM (VALUES {', '.join(values)}) AS v({', '.join(names)})"
    return sqlglot.parse_one(sql, read="duckdb")


def view_types(columns: Sequence[str]) -> dict[str, str]:
    return {**{f"c_{c}": EDGES[input_class(c)][0] for c in columns}, "c_row": "INTEGER"}


def compile_case(case: Case) -> exp.Query:
    """The case's query, qualified and typed against its input view like a compiled node."""
    body = case.sql() if case.is_query else f"SELECT {case.sql()} AS v FROM t"
    tree = pin_list_positions(sqlglot.parse_one(body, read="duckdb"), "duckdb")
    table = view_name(case.inputs)
    for node in tree.find_all(exp.Table):
        if node.name == "t" and not node.db:
            node.replace(exp.table_(table, db=SCHEMA, alias=node.alias or "t"))
    checked = qualify_query(tree, {(SCHEMA, table): view_types(case.inputs)}, "duckdb")
    assert not checked.problems, (case.id, checked.problems)
    return checked.query


def batch_query(queries: Sequence[exp.Query], rows: Sequence[int] | None = None) -> exp.Query:
    """Expression cases over the same view as one SELECT: the input's row number, then their
    values side by side (only ``rows``, when given)."""
    first = queries[0].copy()
    alias = first.args["from_"].this.alias_or_name
    projections = [exp.column("c_row", table=alias)]
    projections += [exp.alias_(q.selects[0].unalias().copy(), f"v{i}") for i, q in enumerate(queries)]
    first.set("expressions", projections)
    if rows is not None:
        first = first.where(
            exp.In(this=exp.column("c_row", table=alias), expressions=[exp.Literal.number(r) for r in rows])
        )
    return first


# -- engines -----------------------------------------------------------------------------------


def duckdb_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, value in capabilities("duckdb").session_settings.items():
        con.execute(f"SET {name} = '{value}'")
    con.execute(f"CREATE SCHEMA {SCHEMA}")
    return con


def create_views(con, spark, column_sets: Iterable[Sequence[str]]) -> None:
    """The inputs as DuckDB tables and cached Spark global temporary views."""
    for columns in column_sets:
        query = view_query(columns)
        name = exp.table_(view_name(columns), db=SCHEMA)
        con.execute(to_sql(exp.Create(this=name, kind="TABLE", expression=query), "duckdb"))
        frame = spark.sql(to_sql(query, "spark")).cache()
        frame.count()
        frame.createOrReplaceGlobalTempView(view_name(columns))


def duckdb_result(con, sql: str) -> tuple[list[str], list[tuple]]:
    relation = con.sql(sql)
    return [duck_class(str(t)) for t in relation.types], relation.fetchall()


def spark_result(spark, sql: str) -> tuple[list[str], list[tuple]]:
    frame = spark.sql(sql)
    return [spark_class(f.dataType) for f in frame.schema.fields], [tuple(r) for r in frame.collect()]


def duck_class(name: str) -> str:
    name = name.upper()
    if name == "JSON":
        return "text"  # DuckDB's JSON is text with a type name; Spark keeps it as STRING
    if name.endswith("[]"):
        return "list"
    for prefix, kind in (
        ("DECIMAL", "decimal"),
        ("MAP", "map"),
        ("STRUCT", "struct"),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("TIMESTAMP", "timestamp"),
        ("VARCHAR", "text"),
        ("DOUBLE", "float"),
        ("FLOAT", "float"),
        ("BOOLEAN", "boolean"),
        ("DATE", "date"),
        ("INTERVAL", "interval"),
        ("BLOB", "blob"),
    ):
        if name.startswith(prefix):
            return kind
    if name in (
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
    ):
        return "integer"
    if name == '"NULL"' or name == "NULL":
        return "null"
    return name.lower()


def spark_class(datatype) -> str:
    from pyspark.sql import types as T

    table = [
        ((T.ByteType, T.ShortType, T.IntegerType, T.LongType), "integer"),
        ((T.DecimalType,), "decimal"),
        ((T.FloatType, T.DoubleType), "float"),
        ((T.StringType,), "text"),
        ((T.BooleanType,), "boolean"),
        ((T.DateType,), "date"),
        ((T.TimestampNTZType,), "timestamp"),
        ((T.TimestampType,), "timestamptz"),
        ((T.ArrayType,), "list"),
        ((T.MapType,), "map"),
        ((T.StructType,), "struct"),
        ((T.DayTimeIntervalType, T.YearMonthIntervalType, T.CalendarIntervalType), "interval"),
        ((T.BinaryType,), "blob"),
        ((T.NullType,), "null"),
    ]
    for kinds, name in table:
        if isinstance(datatype, kinds):
            return name
    return type(datatype).__name__


def normalize(value: Any) -> Any:
    from pyspark.sql import Row

    if isinstance(value, Row):
        return normalize(value.asDict())
    if isinstance(value, dict):
        if set(value) == {"key", "value"} and isinstance(value["key"], list):
            value = dict(zip(value["key"], value["value"], strict=True))
        return tuple(sorted((normalize(k), normalize(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(normalize(v) for v in value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return float(f"{value:.12g}")
    if isinstance(value, Decimal):
        return value.normalize() if value else Decimal(0)
    return value


def normalized(result: tuple[list[str], list[tuple]], ordered: bool) -> tuple[list[str], list[tuple]]:
    kinds, rows = result
    rows = [tuple(normalize(v) for v in row) for row in rows]
    if not ordered:
        rows = sorted(rows, key=lambda r: repr(tuple((v is None, repr(v)) for v in r)))
    return kinds, rows


def is_ordered(query: exp.Query) -> bool:
    return isinstance(query, exp.Select) and bool(query.args.get("order"))
