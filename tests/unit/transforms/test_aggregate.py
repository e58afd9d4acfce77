import pytest
from pydantic import ValidationError

from odibi_sql.transforms.aggregate import AggregateTransform
from odibi_sql.transforms.base import TransformError
from tests.unit.transforms.relational_harness import Case, assert_case, compile_step, run_case

COLUMNS = {"cust": "VARCHAR", "amount": "INTEGER", "price": "DOUBLE"}
ROWS = [("a", 10, 1.5), ("a", None, 2.5), ("a", 10, None), ("b", 5, None), (None, 7, 1.0)]
HOSTILE = 'x; drop table "y"'

FULL = {
    "group_by": ["cust"],
    "aggregations": {
        "n": "count(*)",
        "total": {"function": "sum", "column": "amount"},
        "amounts": {"function": "count", "column": "amount"},
        "distinct_amounts": {"function": "count_distinct", "column": "amount"},
        "avg_price": {"function": "avg", "column": "price"},
        "low": {"function": "min", "column": "amount"},
        "high": "max(amount)",
    },
}
FULL_COLUMNS = ["cust", "n", "total", "amounts", "distinct_amounts", "avg_price", "low", "high"]


def case(name, params, expected_columns, expected_rows, rows=ROWS, columns=COLUMNS):
    return Case(name, params, columns, rows, expected_columns, expected_rows)


CASES = [
    case(
        "every_function_with_null_group",
        FULL,
        FULL_COLUMNS,
        [("a", 3, 20, 2, 1, 2.0, 10, 10), ("b", 1, 5, 1, 1, None, 5, 5), (None, 1, 7, 1, 1, 1.0, 7, 7)],
    ),
    case(
        "no_group_by_is_one_group",
        {"aggregations": {"n": "count(*)", "total": "sum(amount)"}},
        ["n", "total"],
        [(5, 32)],
    ),
    case(
        "expressions_over_aggregates",
        {
            "group_by": ["cust"],
            "aggregations": {"spread": "max(amount) - min(amount)", "custs": "count(distinct cust)"},
        },
        ["cust", "spread", "custs"],
        [("a", 0, 1), ("b", 0, 1), (None, 0, 0)],
    ),
    case("empty_input_with_group_by", FULL, FULL_COLUMNS, [], rows=[]),
    case(
        "empty_input_without_group_by",
        {"aggregations": {"n": "count(*)", "total": {"function": "sum", "column": "amount"}}},
        ["n", "total"],
        [(0, None)],
        rows=[],
    ),
    case(
        "hostile_names_and_values",
        {"group_by": [HOSTILE], "aggregations": {'it\'s "n"': {"function": "count"}}},
        [HOSTILE, 'it\'s "n"'],
        [("it's", 2), ("'; --", 1)],
        rows=[("it's",), ("it's",), ("'; --",)],
        columns={HOSTILE: "VARCHAR"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_aggregate_rows(case):
    assert_case(AggregateTransform, case)


def test_aggregate_spark_golden():
    params = {
        "group_by": ["cust"],
        "aggregations": {"n": "count(*)", "d": {"function": "count_distinct", "column": "amount"}},
    }
    assert compile_step(AggregateTransform, case("g", params, [], []), "spark") == (
        "SELECT `cust`, COUNT(*) AS `n`, COUNT(DISTINCT `amount`) AS `d` FROM `src` GROUP BY `cust`"
    )


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"group_by": ["cust"]}, "aggregations"),
        ({"aggregations": {}}, "at least 1"),
        ({"aggregations": {"s": {"function": "sum"}}}, "sum needs a 'column'"),
        ({"aggregations": {"s": {"function": "median", "column": "amount"}}}, "function"),
        ({"aggregations": {"s": {"function": "sum", "column": "amount", "x": 1}}}, "Extra inputs"),
        ({"group_by": ["cust"], "aggregations": {"CUST": "count(*)"}}, "unique"),
        ({"group_by": ["cust", "cust"], "aggregations": {"n": "count(*)"}}, "twice"),
    ],
)
def test_aggregate_invalid_params(params, fragment):
    with pytest.raises(ValidationError, match=fragment):
        AggregateTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"group_by": ["cst"], "aggregations": {"n": "count(*)"}}, 'Did you mean "cust"'),
        ({"aggregations": {"s": "sum(amout)"}}, 'Did you mean "amount"'),
        ({"aggregations": {"s": {"function": "sum", "column": "amont"}}}, 'Did you mean "amount"'),
        ({"aggregations": {"s": "amount + 1"}}, "no aggregate function"),
        ({"aggregations": {"s": "sum(amount) over ()"}}, "window function"),
        ({"aggregations": {"s": "sum(amount"}}, "not valid SQL"),
    ],
)
def test_aggregate_unknown_column(params, fragment):
    with pytest.raises(TransformError, match=fragment):
        run_case(AggregateTransform, case("bad", params, [], []))
