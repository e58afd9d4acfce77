import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.union import UnionTransform
from tests.unit.transforms.relational_harness import Case, Relation, assert_case, compile_step, run_case

COLUMNS = {"id": "INTEGER", "name": "VARCHAR"}
ROWS = [(1, "a"), (2, None)]
HOSTILE = 'x; drop table "y"'
OTHERS = {
    "extra": Relation(
        {"id": "INTEGER", "name": "VARCHAR", "score": "DOUBLE"}, [(3, "c", 1.5), (4, None, None)]
    ),
    "shuffled": Relation({"NAME": "VARCHAR", "id": "INTEGER"}, [("d", 5)]),
    "positional": Relation({"x": "INTEGER", "y": "VARCHAR"}, [(6, "e")]),
    "dupes": Relation(COLUMNS, [(1, "a"), (2, None)]),
    "empty": Relation(COLUMNS, []),
    "odd": Relation({HOSTILE: "VARCHAR"}, [("it's",)]),
}


def case(name, params, expected_columns, expected_rows, rows=ROWS, columns=COLUMNS):
    return Case(name, params, columns, rows, expected_columns, expected_rows, others=OTHERS)


CASES = [
    case(
        "by_name_fills_missing_columns_with_null",
        {"with": ["extra"]},
        ["id", "name", "score"],
        [(1, "a", None), (2, None, None), (3, "c", 1.5), (4, None, None)],
    ),
    case(
        "by_name_matches_case_insensitively_in_any_order",
        {"with": "shuffled"},
        ["id", "name"],
        [(1, "a"), (2, None), (5, "d")],
    ),
    case(
        "several_nodes",
        {"with": ["shuffled", "extra"]},
        ["id", "name", "score"],
        [(1, "a", None), (2, None, None), (5, "d", None), (3, "c", 1.5), (4, None, None)],
    ),
    case(
        "by_position_takes_left_names",
        {"with": ["positional"], "by_name": False},
        ["id", "name"],
        [(1, "a"), (2, None), (6, "e")],
    ),
    case(
        "all_keeps_duplicates",
        {"with": ["dupes"]},
        ["id", "name"],
        [(1, "a"), (1, "a"), (2, None), (2, None)],
    ),
    case(
        "distinct_removes_duplicates_and_null_rows",
        {"with": ["dupes"], "distinct": True},
        ["id", "name"],
        [(1, "a"), (2, None)],
    ),
    case("empty_input", {"with": ["empty"]}, ["id", "name"], [], rows=[]),
    case("empty_other", {"with": ["empty"]}, ["id", "name"], ROWS),
    case(
        "hostile_names_and_values",
        {"with": ["odd"]},
        ["id", HOSTILE],
        [(1, None), (None, "it's")],
        rows=[(1,)],
        columns={"id": "INTEGER"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_union_rows(case):
    assert_case(UnionTransform, case)


def test_union_spark_golden_typed_nulls():
    assert compile_step(UnionTransform, CASES[0], "spark") == (
        "SELECT `id`, `name`, `score` FROM ("
        "SELECT `id` AS `id`, `name` AS `name`, CAST(NULL AS DOUBLE) AS `score` FROM `src` "
        "UNION ALL SELECT `id` AS `id`, `name` AS `name`, `score` AS `score` FROM `extra`) AS `__unioned`"
    )


def test_union_spark_golden_distinct():
    assert " UNION SELECT " in compile_step(UnionTransform, CASES[5], "spark")


def test_union_unknown_type_gives_plain_null():
    case_ = Case(
        "untyped",
        {"with": ["extra"]},
        {"id": "INTEGER", "name": "VARCHAR"},
        [],
        [],
        [],
        others={"extra": Relation({"id": "INTEGER", "name": "VARCHAR", "score": None})},
    )
    assert "NULL AS `score`" in compile_step(UnionTransform, case_, "spark")


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"with": []}, "at least 1"),
        ({"with": ["a", "a"]}, "listed twice"),
        ({"with": ["a"], "by_nam": False}, "by_nam"),
        ({"with": ["a"], "distinct": "maybe"}, "distinct"),
    ],
)
def test_union_invalid_params(params, fragment):
    with pytest.raises(ValidationError, match=fragment):
        UnionTransform.model_validate(params)


def test_union_unknown_node():
    with pytest.raises(TransformError, match='Did you mean "extra"'):
        run_case(UnionTransform, case("bad", {"with": ["extar"]}, [], []))


def test_union_by_position_needs_same_width():
    with pytest.raises(TransformError, match='"extra" has 3 columns but this step has 2'):
        run_case(UnionTransform, case("bad", {"with": ["extra"], "by_name": False}, [], []))
