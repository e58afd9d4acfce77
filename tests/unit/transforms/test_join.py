import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.join import JoinTransform
from tests.unit.transforms.relational_harness import Case, Relation, assert_case, compile_step, run_case

COLUMNS = {"id": "INTEGER", "cust": "VARCHAR", "amount": "INTEGER"}
ROWS = [(1, "a", 10), (2, "b", 20), (3, None, 30), (4, "a", 40)]
CUSTOMERS = Relation(
    {"cust": "VARCHAR", "city": "VARCHAR", "amount": "INTEGER"},
    [("a", "Paris", 1), ("c", "Rome", 2), (None, "Nowhere", 3)],
)
CODES = Relation({"code": "VARCHAR", "city": "VARCHAR"}, [("a", "Paris"), ("b", "it's")])
DUPES = Relation({"cust": "VARCHAR"}, [("a",), ("a",)])
SIZES = Relation({"size": "VARCHAR"}, [("S",), ("L",)])
OTHERS = {"customers": CUSTOMERS, "codes": CODES, "dupes": DUPES, "sizes": SIZES}
JOINED = ["id", "cust", "amount", "city", "amount_right"]

HOSTILE = 'x; drop table "y"'
HOSTILE_COLUMNS = {HOSTILE: "VARCHAR", "v": "INTEGER"}
HOSTILE_OTHER = Relation({HOSTILE: "VARCHAR", "we'ird\"": "VARCHAR"}, [("it's", "o'k"), ('"q"', "no")])


def case(name, params, expected_columns, expected_rows, rows=ROWS, columns=COLUMNS, others=OTHERS):
    return Case(name, params, columns, rows, expected_columns, expected_rows, others=others)


CASES = [
    case(
        "inner_on_list",
        {"with": "customers", "on": ["cust"]},
        JOINED,
        [(1, "a", 10, "Paris", 1), (4, "a", 40, "Paris", 1)],
    ),
    case(
        "left_keeps_unmatched_and_null_keys",
        {"with": "customers", "how": "left", "on": ["cust"]},
        JOINED,
        [
            (1, "a", 10, "Paris", 1),
            (2, "b", 20, None, None),
            (3, None, 30, None, None),
            (4, "a", 40, "Paris", 1),
        ],
    ),
    case(
        "right_takes_key_from_right",
        {"with": "customers", "how": "right", "on": ["cust"]},
        JOINED,
        [
            (1, "a", 10, "Paris", 1),
            (4, "a", 40, "Paris", 1),
            (None, "c", None, "Rome", 2),
            (None, None, None, "Nowhere", 3),
        ],
    ),
    case(
        "full_coalesces_keys",
        {"with": "customers", "how": "full", "on": ["cust"]},
        JOINED,
        [
            (1, "a", 10, "Paris", 1),
            (4, "a", 40, "Paris", 1),
            (2, "b", 20, None, None),
            (3, None, 30, None, None),
            (None, "c", None, "Rome", 2),
            (None, None, None, "Nowhere", 3),
        ],
    ),
    case(
        "null_safe_matches_null_keys",
        {"with": "customers", "how": "left", "on": ["cust"], "null_safe": True},
        JOINED,
        [
            (1, "a", 10, "Paris", 1),
            (2, "b", 20, None, None),
            (3, None, 30, "Nowhere", 3),
            (4, "a", 40, "Paris", 1),
        ],
    ),
    case(
        "on_mapping_keeps_left_key_name",
        {"with": "codes", "how": "left", "on": {"cust": "code"}},
        ["id", "cust", "amount", "city"],
        [(1, "a", 10, "Paris"), (2, "b", 20, "it's"), (3, None, 30, None), (4, "a", 40, "Paris")],
    ),
    case(
        "prefix_renames_clashing_columns",
        {"with": "customers", "on": ["cust"], "prefix": "c_"},
        ["id", "cust", "amount", "city", "c_amount"],
        [(1, "a", 10, "Paris", 1), (4, "a", 40, "Paris", 1)],
    ),
    case(
        "select_limits_right_columns",
        {"with": "customers", "on": ["cust"], "select": ["city"], "suffix": "_c"},
        ["id", "cust", "amount", "city"],
        [(1, "a", 10, "Paris"), (4, "a", 40, "Paris")],
    ),
    case(
        "semi_never_duplicates_left_rows",
        {"with": "dupes", "how": "semi", "on": ["cust"]},
        ["id", "cust", "amount"],
        [(1, "a", 10), (4, "a", 40)],
    ),
    case(
        "anti_keeps_unmatched_and_null_keys",
        {"with": "dupes", "how": "anti", "on": ["cust"]},
        ["id", "cust", "amount"],
        [(2, "b", 20), (3, None, 30)],
    ),
    case(
        "cross_pairs_every_row",
        {"with": "sizes", "how": "cross"},
        ["id", "cust", "size"],
        [(i, c, s) for i, c in ((1, "a"), (2, "b")) for s in ("S", "L")],
        rows=[(1, "a"), (2, "b")],
        columns={"id": "INTEGER", "cust": "VARCHAR"},
    ),
    case("empty_input", {"with": "customers", "how": "left", "on": ["cust"]}, JOINED, [], rows=[]),
    case(
        "empty_right",
        {"with": "customers", "how": "left", "on": ["cust"]},
        JOINED,
        [(1, "a", 10, None, None)],
        rows=[(1, "a", 10)],
        others={"customers": Relation(CUSTOMERS.columns, [])},
    ),
    case(
        "hostile_names_and_values",
        {"with": "odd", "how": "left", "on": [HOSTILE]},
        [HOSTILE, "v", "we'ird\""],
        [("it's", 1, "o'k"), ("none", 2, None)],
        rows=[("it's", 1), ("none", 2)],
        columns=HOSTILE_COLUMNS,
        others={"odd": HOSTILE_OTHER},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_join_rows(case):
    assert_case(JoinTransform, case)


def test_join_spark_golden():
    assert compile_step(JoinTransform, CASES[1], "spark") == (
        "SELECT `l`.`id` AS `id`, `l`.`cust` AS `cust`, `l`.`amount` AS `amount`, `r`.`city` AS `city`, "
        "`r`.`amount` AS `amount_right` FROM `src` AS `l` "
        "LEFT JOIN `customers` AS `r` ON `l`.`cust` = `r`.`cust`"
    )


def test_join_spark_golden_semi_and_null_safe():
    semi = Case(
        "semi",
        {"with": "dupes", "how": "semi", "on": ["cust"], "null_safe": True},
        COLUMNS,
        ROWS,
        [],
        [],
        others=OTHERS,
    )
    assert compile_step(JoinTransform, semi, "spark") == (
        "SELECT `l`.`id` AS `id`, `l`.`cust` AS `cust`, `l`.`amount` AS `amount` FROM `src` AS `l` "
        "WHERE EXISTS(SELECT 1 FROM `dupes` AS `r` WHERE `l`.`cust` IS NOT DISTINCT FROM `r`.`cust`)"
    )


def test_join_full_spark_golden():
    assert compile_step(JoinTransform, CASES[3], "spark").startswith(
        "SELECT `l`.`id` AS `id`, COALESCE(`l`.`cust`, `r`.`cust`) AS `cust`"
    )


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"with": "customers", "how": "outer", "on": ["cust"]}, "how"),
        ({"with": "customers"}, "needs 'on'"),
        ({"with": "customers", "how": "cross", "on": ["cust"]}, "takes no 'on'"),
        ({"with": "customers", "on": []}, "at least one key"),
        ({"with": "customers", "on": ["cust", "cust"]}, "twice"),
        ({"with": "customers", "how": "semi", "on": ["cust"], "select": ["city"]}, "only left columns"),
        ({"with": "customers", "on": ["cust"], "hwo": "left"}, "hwo"),
        ({"on": ["cust"]}, "with"),
    ],
)
def test_join_invalid_params(params, fragment):
    with pytest.raises(ValidationError, match=fragment):
        JoinTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"with": "customers", "on": ["cst"]}, 'Did you mean "cust"'),
        ({"with": "codes", "on": {"cust": "cod"}}, 'does not exist in "codes". Did you mean "code"'),
        ({"with": "customers", "on": ["cust"], "select": ["cty"]}, 'Did you mean "city"'),
        ({"with": "customer", "on": ["cust"]}, 'Did you mean "customers"'),
    ],
)
def test_join_unknown_column(params, fragment):
    with pytest.raises(TransformError, match=fragment):
        run_case(JoinTransform, case("bad", params, [], []))


def test_join_clashing_rename_is_an_error():
    # suffix turns "amount" into "amount_x", which the right side already has
    others = {"o": Relation({"cust": "VARCHAR", "amount": "INTEGER", "amount_x": "INTEGER"})}
    with pytest.raises(TransformError, match='would be named "amount_x"'):
        run_case(
            JoinTransform, case("clash", {"with": "o", "on": ["cust"], "suffix": "_x"}, [], [], others=others)
        )
