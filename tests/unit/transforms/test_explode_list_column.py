import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.explode_list_column import ExplodeListColumnTransform
from tests.unit.transforms.relational_harness import Case, assert_case, compile_step, run_case

COLUMNS = {"id": "INTEGER", "items": "VARCHAR[]", "note": "VARCHAR"}
ROWS = [(1, ["a", "b"], "two"), (2, [], "empty"), (3, None, "null"), (4, ["x", None], "null element")]
AB, XN = ["a", "b"], ["x", None]
HOSTILE = 'x; drop table "y"'


def case(name, params, expected_columns, expected_rows, rows=ROWS, columns=COLUMNS):
    return Case(name, params, columns, rows, expected_columns, expected_rows)


CASES = [
    case(
        "replaces_list_in_place_and_drops_empty",
        {"column": "items"},
        ["id", "items", "note"],
        [(1, "a", "two"), (1, "b", "two"), (4, "x", "null element"), (4, None, "null element")],
    ),
    case(
        "outer_keeps_empty_and_null_lists",
        {"column": "items", "outer": True},
        ["id", "items", "note"],
        [
            (1, "a", "two"),
            (1, "b", "two"),
            (2, None, "empty"),
            (3, None, "null"),
            (4, "x", "null element"),
            (4, None, "null element"),
        ],
    ),
    case(
        "as_keeps_the_list",
        {"column": "items", "as": "item"},
        ["id", "items", "note", "item"],
        [
            (1, AB, "two", "a"),
            (1, AB, "two", "b"),
            (4, XN, "null element", "x"),
            (4, XN, "null element", None),
        ],
    ),
    case(
        "position_is_one_based",
        {"column": "items", "as": "item", "position": "pos"},
        ["id", "items", "note", "item", "pos"],
        [
            (1, AB, "two", "a", 1),
            (1, AB, "two", "b", 2),
            (4, XN, "null element", "x", 1),
            (4, XN, "null element", None, 2),
        ],
    ),
    case(
        "outer_position_is_null_for_empty_lists",
        {"column": "items", "outer": True, "position": "pos"},
        ["id", "items", "note", "pos"],
        [
            (1, "a", "two", 1),
            (1, "b", "two", 2),
            (2, None, "empty", None),
            (3, None, "null", None),
            (4, "x", "null element", 1),
            (4, None, "null element", 2),
        ],
    ),
    case(
        "integer_lists",
        {"column": "n", "outer": True},
        ["n"],
        [(1,), (2,), (3,), (None,)],
        rows=[([1, 2, 3],), ([],)],
        columns={"n": "BIGINT[]"},
    ),
    case(
        "empty_input",
        {"column": "items", "outer": True, "position": "p"},
        ["id", "items", "note", "p"],
        [],
        rows=[],
    ),
    case(
        "hostile_names_and_values",
        {"column": HOSTILE, "as": "it's", "position": 'we"ird'},
        [HOSTILE, "it's", 'we"ird'],
        [(["it's", '"'], "it's", 1), (["it's", '"'], '"', 2)],
        rows=[(["it's", '"'],)],
        columns={HOSTILE: "VARCHAR[]"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_explode_list_column_rows(case):
    assert_case(ExplodeListColumnTransform, case)


def test_explode_list_column_spark_golden():
    assert compile_step(ExplodeListColumnTransform, CASES[1], "spark") == (
        "SELECT `id`, EXPLODE(CASE WHEN SIZE(`items`) > 0 THEN `items` ELSE ARRAY(NULL) END) AS `items`, "
        "`note` FROM `src`"
    )


def test_explode_list_column_spark_golden_position_reads_zero_based_index():
    sql = compile_step(ExplodeListColumnTransform, CASES[3], "spark")
    assert "`items`[CAST(`__position` AS BIGINT) + -1] AS `item`" in sql
    assert "EXPLODE(SEQUENCE(1, CASE WHEN SIZE(`items`) > 0 THEN SIZE(`items`) END)) AS `__position`" in sql


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "column"),
        ({"column": "items", "as": ""}, "at least 1"),
        ({"column": "items", "position": "items"}, "must differ"),
        ({"column": "items", "outer": "sometimes"}, "outer"),
        ({"column": "items", "alias": "x"}, "alias"),
    ],
)
def test_explode_list_column_invalid_params(params, fragment):
    with pytest.raises(ValidationError, match=fragment):
        ExplodeListColumnTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"column": "item"}, 'Did you mean "items"'),
        ({"column": "note"}, "not a list"),
        ({"column": "items", "as": "note"}, 'column "note" already exists'),
        ({"column": "items", "position": "ID"}, 'column "ID" already exists'),
    ],
)
def test_explode_list_column_unknown_column(params, fragment):
    with pytest.raises(TransformError, match=fragment):
        run_case(ExplodeListColumnTransform, case("bad", params, [], [], rows=[]))
