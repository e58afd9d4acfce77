import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.window_calculation import WindowCalculationTransform
from tests.unit.transforms.relational_harness import Case, assert_case, compile_step, run_case

COLUMNS = {"cust": "VARCHAR", "ts": "INTEGER", "amount": "INTEGER"}
ROWS = [("a", 1, 10), ("a", 2, None), ("a", 3, 30), ("a", 4, 40), ("b", 1, 5), ("b", 2, 5)]
HOSTILE = 'x; drop table "y"'


def calc(as_, function, **kw):
    return {"as": as_, "function": function, **kw}


def case(name, calculations, new_values, rows=ROWS, columns=COLUMNS):
    """``new_values`` holds the added column(s) of each row of ``rows``, in order."""
    names = [c["as"] for c in calculations]
    expected = [(*row, *values) for row, values in zip(rows, new_values, strict=True)]
    return Case(name, {"calculations": calculations}, columns, rows, [*columns, *names], expected)


PART = {"partition_by": ["cust"]}
BY_TS = {"partition_by": ["cust"], "order_by": "ts"}

CASES = [
    case(
        "running_sum",
        [calc("rt", "sum", column="amount", **BY_TS)],
        [(10,), (10,), (40,), (80,), (5,), (10,)],
    ),
    case(
        "running_counts",
        [calc("n", "count", **BY_TS), calc("m", "count", column="amount", **BY_TS)],
        [(1, 1), (2, 1), (3, 2), (4, 3), (1, 1), (2, 2)],
    ),
    case(
        "moving_average_skips_nulls",
        [calc("ma", "avg", column="amount", frame="moving", rows=2, **BY_TS)],
        [(10.0,), (10.0,), (30.0,), (35.0,), (5.0,), (5.0,)],
    ),
    case(
        "moving_one_row_is_the_row",
        [calc("m1", "max", column="amount", frame="moving", rows=1, **BY_TS)],
        [(10,), (None,), (30,), (40,), (5,), (5,)],
    ),
    case(
        "whole_partition_without_order",
        [calc("total", "sum", column="amount", **PART), calc("lo", "min", column="amount", **PART)],
        [(80, 10), (80, 10), (80, 10), (80, 10), (10, 5), (10, 5)],
    ),
    case(
        "full_frame_with_order",
        [calc("hi", "max", column="amount", frame="full", **BY_TS)],
        [(40,), (40,), (40,), (40,), (5,), (5,)],
    ),
    case(
        "row_number_with_tiebreak",
        [calc("rn", "row_number", partition_by=["cust"], order_by="amount desc, ts")],
        [(3,), (4,), (2,), (1,), (1,), (2,)],
    ),
    case(
        "rank_and_dense_rank_share_ties_nulls_last",
        [
            calc("r", "rank", partition_by=["cust"], order_by="amount"),
            calc("dr", "dense_rank", order_by="amount"),
        ],
        [(1, 2), (4, 5), (2, 3), (3, 4), (1, 1), (1, 1)],
    ),
    case(
        "lag_with_default_and_lead_with_offset",
        [
            calc("prev", "lag", column="amount", default=0, **BY_TS),
            calc("next2", "lead", column="amount", offset=2, **BY_TS),
        ],
        [(0, 30), (10, 40), (None, None), (30, None), (0, None), (5, None)],
    ),
    case(
        "first_and_last_value_whole_partition",
        [
            calc("first", "first_value", column="amount", **BY_TS),
            calc("last", "last_value", column="amount", **BY_TS),
        ],
        [(10, 40), (10, 40), (10, 40), (10, 40), (5, 5), (5, 5)],
    ),
    case(
        "forward_fill_with_ignore_nulls",
        [calc("filled", "last_value", column="amount", frame="running", ignore_nulls=True, **BY_TS)],
        [(10,), (10,), (30,), (40,), (5,), (5,)],
    ),
    case(
        "lag_and_lead_ignore_nulls",
        [
            calc("prev", "lag", column="amount", default=-1, ignore_nulls=True, **BY_TS),
            calc("next", "lead", column="amount", ignore_nulls=True, **BY_TS),
        ],
        [(-1, 30), (10, 30), (10, 40), (30, None), (-1, 5), (5, None)],
    ),
    case(
        "no_partition",
        [calc("rt", "sum", column="amount", order_by="cust, ts")],
        [(10,), (10,), (40,), (80,), (85,), (90,)],
    ),
    case("empty_input", [calc("rt", "sum", column="amount", **BY_TS)], [], rows=[]),
    case(
        "hostile_names_and_values",
        [calc('it\'s "n"', "row_number", partition_by=[HOSTILE], order_by='"we\'ird"')],
        [(1,), (2,), (1,)],
        rows=[("it's", 1), ("it's", 2), ('"', 3)],
        columns={HOSTILE: "VARCHAR", "we'ird": "INTEGER"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_window_calculation_rows(case):
    assert_case(WindowCalculationTransform, case)


def test_window_calculation_replaces_column_in_place():
    c = Case(
        "replace",
        {"calculations": [calc("AMOUNT", "sum", column="amount", **PART)]},
        COLUMNS,
        ROWS[:2],
        ["cust", "ts", "AMOUNT"],
        [("a", 1, 10), ("a", 2, 10)],
    )
    assert_case(WindowCalculationTransform, c)


def test_window_calculation_spark_golden():
    c = Case(
        "g",
        {
            "calculations": [
                calc("ma", "avg", column="amount", frame="moving", rows=3, **BY_TS),
                calc("prev", "lag", column="amount", default=0, **BY_TS),
                calc("f", "last_value", column="amount", ignore_nulls=True, **BY_TS),
            ]
        },
        COLUMNS,
        [],
        [],
        [],
    )
    assert compile_step(WindowCalculationTransform, c, "spark") == (
        "SELECT `cust`, `ts`, `amount`, AVG(`amount`) OVER (PARTITION BY `cust` ORDER BY ts NULLS LAST "
        "ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS `ma`, "
        "LAG(`amount`, 1, 0) OVER (PARTITION BY `cust` ORDER BY ts NULLS LAST) AS `prev`, "
        "LAST_VALUE(`amount`) IGNORE NULLS OVER (PARTITION BY `cust` ORDER BY ts NULLS LAST "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS `f` FROM `src`"
    )


@pytest.mark.parametrize(
    ("calculation", "fragment"),
    [
        (calc("x", "median", column="amount"), "function"),
        (calc("x", "row_number", column="amount", order_by="ts"), "takes no 'column'"),
        (calc("x", "rank"), "needs an 'order_by'"),
        (calc("x", "lag", column="amount"), "needs an 'order_by'"),
        (calc("x", "sum"), "needs a 'column'"),
        (calc("x", "sum", column="amount", frame="moving", order_by="ts"), "needs 'rows'"),
        (calc("x", "sum", column="amount", rows=3, order_by="ts"), "'rows' goes with frame: moving"),
        (calc("x", "sum", column="amount", frame="running"), "needs an 'order_by'"),
        (calc("x", "lag", column="amount", order_by="ts", frame="full"), "takes no 'frame'"),
        (calc("x", "sum", column="amount", offset=2), "only apply to lag and lead"),
        (calc("x", "lead", column="amount", order_by="ts", offset=0), "greater than or equal to 1"),
        (calc("x", "sum", column="amount", ignore_nulls=True), "ignore_nulls"),
        (calc("x", "sum", column="amount", frame="moving", rows=0, order_by="ts"), "rows"),
        ({"function": "sum", "column": "amount"}, "as"),
        ({**calc("x", "sum", column="amount"), "colum": "a"}, "colum"),
    ],
)
def test_window_calculation_invalid_params(calculation, fragment):
    with pytest.raises(ValidationError, match=fragment):
        WindowCalculationTransform.model_validate({"calculations": [calculation]})


def test_window_calculation_invalid_params_lists():
    with pytest.raises(ValidationError, match="at least 1"):
        WindowCalculationTransform.model_validate({"calculations": []})
    with pytest.raises(ValidationError, match="same column: X, x"):
        WindowCalculationTransform.model_validate({"calculations": [calc("x", "count"), calc("X", "count")]})


@pytest.mark.parametrize(
    ("calculation", "fragment"),
    [
        (calc("x", "sum", column="amont"), 'Did you mean "amount"'),
        (calc("x", "sum", column="amount", partition_by=["cst"]), 'Did you mean "cust"'),
        (calc("x", "rank", order_by="tss desc"), 'Did you mean "ts"'),
        (calc("x", "rank", order_by="ts desc; select 1"), "not a valid ORDER BY list"),
    ],
)
def test_window_calculation_unknown_column(calculation, fragment):
    with pytest.raises(TransformError, match=fragment):
        run_case(WindowCalculationTransform, case("bad", [calculation], [], rows=[]))
