import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.pivot import PivotTransform, pivot_column_name
from tests.unit.transforms.relational_harness import Case, assert_case, compile_step, run_case

COLUMNS = {"order_id": "INTEGER", "payment_type": "VARCHAR", "value": "DOUBLE"}
ROWS = [
    (1, "credit_card", 10.0),
    (1, "credit_card", 5.0),
    (1, "debit card", 2.5),
    (2, "boleto", 7.0),
    (2, None, 1.0),
    (3, "voucher", 4.0),
    (3, "credit_card", None),
]
VALUES = ["credit_card", "boleto", "debit card"]
WIDE = ["order_id", "credit_card", "boleto", "debit_card"]
HOSTILE = 'x; drop table "y"'


def case(name, params, expected_columns, expected_rows, rows=ROWS, columns=COLUMNS):
    return Case(name, params, columns, rows, expected_columns, expected_rows)


def pivot(function, column="value", **kw):
    aggregate = {"function": function} if column is None else {"function": function, "column": column}
    return {
        "group_by": ["order_id"],
        "pivot_column": "payment_type",
        "values": VALUES,
        "aggregate": aggregate,
        **kw,
    }


CASES = [
    case(
        "sum_missing_values_are_null",
        pivot("sum"),
        WIDE,
        [(1, 15.0, None, 2.5), (2, None, 7.0, None), (3, None, None, None)],
    ),
    case("count_rows", pivot("count", column=None), WIDE, [(1, 2, 0, 1), (2, 0, 1, 0), (3, 1, 0, 0)]),
    case("count_column_skips_nulls", pivot("count"), WIDE, [(1, 2, 0, 1), (2, 0, 1, 0), (3, 0, 0, 0)]),
    case(
        "min_max_avg",
        pivot("avg", prefix="avg_"),
        ["order_id", "avg_credit_card", "avg_boleto", "avg_debit_card"],
        [(1, 7.5, None, 2.5), (2, None, 7.0, None), (3, None, None, None)],
    ),
    case("count_distinct", pivot("count_distinct"), WIDE, [(1, 2, 0, 1), (2, 0, 1, 0), (3, 0, 0, 0)]),
    case(
        "no_group_by_is_one_row",
        {
            "pivot_column": "payment_type",
            "values": ["boleto", "voucher"],
            "aggregate": {"function": "max", "column": "value"},
        },
        ["boleto", "voucher"],
        [(7.0, 4.0)],
    ),
    case(
        "integer_values",
        {
            "group_by": ["payment_type"],
            "pivot_column": "order_id",
            "values": [1, 3],
            "prefix": "order_",
            "aggregate": {"function": "sum", "column": "value"},
        },
        ["payment_type", "order_1", "order_3"],
        [
            ("credit_card", 15.0, None),
            ("debit card", 2.5, None),
            ("boleto", None, None),
            (None, None, None),
            ("voucher", None, 4.0),
        ],
    ),
    case("empty_input_with_group_by", pivot("sum"), WIDE, [], rows=[]),
    case(
        "empty_input_without_group_by",
        {"pivot_column": "payment_type", "values": ["boleto"], "aggregate": {"function": "count"}},
        ["boleto"],
        [(0,)],
        rows=[],
    ),
    case(
        "hostile_names_and_values",
        {
            "group_by": ["id"],
            "pivot_column": HOSTILE,
            "values": ["it's", '"q"'],
            "aggregate": {"function": "count"},
        },
        ["id", "it_s", "q"],
        [(1, 2, 1)],
        rows=[(1, "it's"), (1, "it's"), (1, '"q"'), (1, "other")],
        columns={"id": "INTEGER", HOSTILE: "VARCHAR"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_pivot_rows(case):
    assert_case(PivotTransform, case)


def test_pivot_spark_golden():
    c = case("g", pivot("sum", values=["credit_card", "it's"]), [], [])
    assert compile_step(PivotTransform, c, "spark") == (
        "SELECT `order_id`, SUM(CASE WHEN `payment_type` = 'credit_card' THEN `value` END) AS `credit_card`, "
        "SUM(CASE WHEN `payment_type` = 'it\\'s' THEN `value` END) AS `it_s` FROM `src` GROUP BY `order_id`"
    )


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("debit card", "debit_card"),
        ("a--b", "a_b"),
        (" x ", "x"),
        (True, "true"),
        (1.5, "1_5"),
        ("cartão", "cartão"),
        ("a.b/c", "a_b_c"),
        ("", "_"),
    ],
)
def test_pivot_column_names_are_sanitized(value, name):
    assert pivot_column_name(value) == name


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        (pivot("sum", values=[]), "at least 1"),
        (pivot("sum", values=["a", "a"]), "listed twice"),
        (pivot("median"), "function"),
        (pivot("sum", column=None), "sum needs a 'column'"),
        ({k: v for k, v in pivot("sum").items() if k != "values"}, "values"),
        ({**pivot("sum"), "pivot_col": "x"}, "pivot_col"),
    ],
)
def test_pivot_invalid_params(params, fragment):
    with pytest.raises(ValidationError, match=fragment):
        PivotTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        (pivot("sum", group_by=["order"]), 'Did you mean "order_id"'),
        (pivot("sum", pivot_column="payment"), 'Did you mean "payment_type"'),
        (pivot("sum", column="valu"), 'Did you mean "value"'),
        (pivot("sum", values=["a b", "a-b"]), 'becomes column "a_b"'),
        (pivot("sum", values=["ORDER_ID"]), 'clashes with group_by column "order_id"'),
    ],
)
def test_pivot_unknown_column(params, fragment):
    with pytest.raises(TransformError, match=fragment):
        run_case(PivotTransform, case("bad", params, [], []))
