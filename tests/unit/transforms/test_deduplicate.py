import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.deduplicate import DeduplicateTransform
from tests.unit.transforms.relational_harness import Case, assert_case, compile_step, run_case

COLUMNS = {"id": "INTEGER", "key": "VARCHAR", "updated_at": "INTEGER", "v": "VARCHAR"}
ROWS = [
    (1, "a", 1, "old"),
    (2, "a", 3, "new"),
    (3, "a", None, "null ts"),
    (4, "b", 5, "only"),
    (5, None, 1, "n1"),
    (6, None, 2, "n2"),
]
OUT = list(COLUMNS)
HOSTILE = 'x; drop table "y"'


def case(name, params, expected_ids, rows=ROWS, columns=COLUMNS):
    by_id = {r[0]: r for r in rows}
    return Case(name, params, columns, rows, list(columns), [by_id[i] for i in expected_ids])


CASES = [
    case("first_by_desc_puts_nulls_last", {"keys": ["key"], "order_by": "updated_at desc"}, [2, 4, 6]),
    case(
        "last_reverses_order_and_nulls",
        {"keys": ["key"], "order_by": "updated_at desc", "keep": "last"},
        [3, 4, 5],
    ),
    case("first_by_asc", {"keys": ["key"], "order_by": "updated_at"}, [1, 4, 5]),
    case("explicit_nulls_first", {"keys": ["key"], "order_by": "updated_at desc nulls first"}, [3, 4, 6]),
    case(
        "several_order_terms",
        {"keys": ["key"], "order_by": "coalesce(updated_at, 0) desc, id desc"},
        [2, 4, 6],
    ),
    case(
        "several_keys",
        {"keys": ["key", "v"], "order_by": "id"},
        [1, 2, 3, 4, 5, 6, 7],
        rows=[*ROWS, (7, "a", 9, "new2")],
    ),
    case("unique_keys_keep_every_row_without_order", {"keys": ["id"]}, [1, 2, 3, 4, 5, 6]),
    case("empty_input", {"keys": ["key"], "order_by": "updated_at desc"}, [], rows=[]),
    case(
        "hostile_names_and_values",
        {"keys": [HOSTILE], "order_by": '"it\'s" desc'},
        [2, 3],
        rows=[(1, "it's", 1), (2, "it's", 2), (3, '"', 0)],
        columns={"id": "INTEGER", HOSTILE: "VARCHAR", "it's": "INTEGER"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_deduplicate_rows(case):
    assert_case(DeduplicateTransform, case)


def test_deduplicate_spark_golden():
    assert compile_step(DeduplicateTransform, CASES[0], "spark") == (
        "SELECT `id`, `key`, `updated_at`, `v` FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY `key` "
        "ORDER BY updated_at DESC) AS `__row_number` FROM `src`) AS `__deduplicated` WHERE `__row_number` = 1"
    )


def test_deduplicate_spark_golden_makes_null_order_explicit():
    # DuckDB sorts NULLs last ascending, Spark first: the Spark SQL must say NULLS LAST
    assert "ORDER BY updated_at NULLS LAST)" in compile_step(DeduplicateTransform, CASES[2], "spark")
    # keep: last flips "desc" (NULLs last) into ascending with NULLs first, Spark's default
    assert "ORDER BY updated_at ASC)" in compile_step(DeduplicateTransform, CASES[1], "spark")


def test_deduplicate_helper_never_collides_with_user_columns():
    columns = {"__row_number": "INTEGER", "key": "VARCHAR"}
    c = Case(
        "helper",
        {"keys": ["key"], "order_by": "__row_number"},
        columns,
        [(2, "a"), (1, "a")],
        ["__row_number", "key"],
        [(1, "a")],
    )
    assert_case(DeduplicateTransform, c)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"keys": []}, "at least 1"),
        ({"keys": ["key", "key"]}, "twice"),
        ({"keys": ["key"], "order_by": "updated_at", "keep": "middle"}, "keep"),
        ({"keys": ["key"], "keep": "last"}, "needs an order_by"),
        ({"keys": ["key"], "order_by": ""}, "at least 1"),
        ({"keys": ["key"], "oder_by": "x"}, "oder_by"),
    ],
)
def test_deduplicate_invalid_params(params, fragment):
    with pytest.raises(ValidationError, match=fragment):
        DeduplicateTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"keys": ["ky"]}, 'Did you mean "key"'),
        ({"keys": ["key"], "order_by": "updatd_at desc"}, 'Did you mean "updated_at"'),
        ({"keys": ["key"], "order_by": "updated_at desc desc"}, "not a valid ORDER BY list"),
        ({"keys": ["key"], "order_by": "updated_at; drop table src"}, "not a valid ORDER BY list"),
        ({"keys": ["key"], "order_by": "updated_at) x, (y"}, "not a valid ORDER BY list"),
        ({"keys": ["key"], "order_by": "updated_at,"}, "not a valid ORDER BY list"),
    ],
)
def test_deduplicate_unknown_column(params, fragment):
    with pytest.raises(TransformError, match=fragment):
        run_case(DeduplicateTransform, case("bad", params, []))
