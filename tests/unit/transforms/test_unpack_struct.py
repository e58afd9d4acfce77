import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformContext, TransformError
from odibi_sql.transforms.unpack_struct import UnpackStructTransform
from tests.unit.transforms.relational_harness import Case, assert_case, compile_step, run_case

ADDRESS = "STRUCT(city VARCHAR, zip VARCHAR, geo STRUCT(lat DOUBLE, lon DOUBLE))"
COLUMNS = {"id": "INTEGER", "address": ADDRESS, "note": "VARCHAR"}
ROWS = [
    (1, {"city": "Paris", "zip": "75001", "geo": {"lat": 48.5, "lon": 2.25}}, "full"),
    (2, None, "null struct"),
    (3, {"city": None, "zip": "it's", "geo": None}, "null fields"),
]
HOSTILE = 'x; drop table "y"'


def case(name, params, expected_columns, expected_rows, rows=ROWS, columns=COLUMNS):
    return Case(name, params, columns, rows, expected_columns, expected_rows)


CASES = [
    case(
        "all_known_fields_in_place",
        {"column": "address"},
        ["id", "city", "zip", "geo", "note"],
        [
            (1, "Paris", "75001", {"lat": 48.5, "lon": 2.25}, "full"),
            (2, None, None, None, "null struct"),
            (3, None, "it's", None, "null fields"),
        ],
    ),
    case(
        "fields_prefix_and_keep_column",
        {"column": "address", "fields": ["zip", "city"], "prefix": "address_", "keep_column": True},
        ["id", "address", "address_zip", "address_city", "note"],
        [
            (1, ROWS[0][1], "75001", "Paris", "full"),
            (2, None, None, None, "null struct"),
            (3, ROWS[2][1], "it's", None, "null fields"),
        ],
    ),
    case(
        "struct_named_like_the_relation",
        {"column": "src"},
        ["src_id", "a"],
        [(1, 2)],
        rows=[(1, {"a": 2})],
        columns={"src_id": "INTEGER", "src": "STRUCT(a INTEGER)"},
    ),
    case("empty_input", {"column": "address"}, ["id", "city", "zip", "geo", "note"], [], rows=[]),
    case(
        # sqlglot lower-cases struct fields of upstream types; engines match fields by any case
        "fields_match_in_any_case",
        {"column": "rates", "fields": ["USD"]},
        ["USD"],
        [(0.3,)],
        rows=[({"USD": 0.3},)],
        columns={"rates": "STRUCT(usd DOUBLE)"},
    ),
    case(
        "hostile_names_and_values",
        {"column": HOSTILE, "prefix": "p'"},
        ["id", "p'it\"s", "p'x; drop"],
        [(1, "'; --", None)],
        rows=[(1, {'it"s': "'; --", "x; drop": None})],
        columns={"id": "INTEGER", HOSTILE: 'STRUCT("it""s" VARCHAR, "x; drop" INTEGER)'},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_unpack_struct_rows(case):
    assert_case(UnpackStructTransform, case)


def test_unpack_struct_spark_golden():
    c = case("g", {"column": "address", "fields": ["city"], "prefix": "a_"}, [], [])
    assert compile_step(UnpackStructTransform, c, "spark") == (
        "SELECT `id`, `src`.`address`.`city` AS `a_city`, `note` FROM `src`"
    )


def test_unpack_struct_unknown_type_needs_fields():
    ctx = TransformContext(relation="src", columns={"s": None})
    with pytest.raises(TransformError, match="list the fields|not known"):
        UnpackStructTransform(column="s").apply(ctx)
    query = UnpackStructTransform(column="s", fields=["a"]).apply(
        TransformContext(relation="src", columns={"s": None})
    )
    assert query.sql(dialect="duckdb") == 'SELECT "src"."s"."a" AS "a" FROM "src"'


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "column"),
        ({"column": "address", "fields": []}, "at least 1"),
        ({"column": "address", "fields": ["city", "city"]}, "twice"),
        ({"column": "address", "prefx": "a_"}, "prefx"),
    ],
)
def test_unpack_struct_invalid_params(params, fragment):
    with pytest.raises(ValidationError, match=fragment):
        UnpackStructTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "columns", "fragment"),
    [
        ({"column": "adress"}, COLUMNS, 'Did you mean "address"'),
        ({"column": "address", "fields": ["cty"]}, COLUMNS, 'has no field "cty". Did you mean "city"'),
        ({"column": "note"}, COLUMNS, "not a struct"),
        ({"column": "address"}, {**COLUMNS, "CITY": "VARCHAR"}, 'would become column "city"'),
    ],
)
def test_unpack_struct_unknown_column(params, columns, fragment):
    with pytest.raises(TransformError, match=fragment):
        run_case(UnpackStructTransform, case("bad", params, [], [], rows=[], columns=columns))
