"""date_add: rows on a real DuckDB, the Spark SQL, invalid parameters."""

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.date_add import DateAddTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "d": "DATE", "ts": "TIMESTAMP", "s": "VARCHAR"}
ROWS = [
    (1, date(2024, 1, 31), datetime(2024, 1, 31, 23, 30), "a"),
    (2, None, None, None),
    (3, date(2024, 12, 31), datetime(2024, 3, 1, 0, 0), "b"),
]


def _d(values):
    """Expected rows with ``d`` replaced in place."""
    return (list(COLUMNS), [(r[0], v, *r[2:]) for r, v in zip(ROWS, values, strict=True)])


def _ts(values):
    """Expected rows with ``ts`` replaced in place."""
    return (list(COLUMNS), [(*r[:2], v, r[3]) for r, v in zip(ROWS, values, strict=True)])


CASES = [
    pytest.param(
        {"column": "d", "amount": 1, "unit": "month", "as": "due"},
        COLUMNS,
        ROWS,
        ([*COLUMNS, "due"], [(*ROWS[0], date(2024, 2, 29)), (*ROWS[1], None), (*ROWS[2], date(2025, 1, 31))]),
        id="month_end_is_clamped",
    ),
    pytest.param(
        {"column": "d", "amount": -31, "unit": "day"},
        COLUMNS,
        ROWS,
        _d([date(2023, 12, 31), None, date(2024, 11, 30)]),
        id="negative_days_in_place_stay_dates",
    ),
    pytest.param(
        {"column": "d", "amount": 1, "unit": "quarter"},
        COLUMNS,
        ROWS,
        _d([date(2024, 4, 30), None, date(2025, 3, 31)]),
        id="quarter",
    ),
    pytest.param(
        {"column": "d", "amount": 2, "unit": "week"},
        COLUMNS,
        ROWS,
        _d([date(2024, 2, 14), None, date(2025, 1, 14)]),
        id="week",
    ),
    pytest.param(
        {"column": "d", "amount": 36, "unit": "hour"},
        COLUMNS,
        ROWS,
        _d([datetime(2024, 2, 1, 12, 0), None, datetime(2025, 1, 1, 12, 0)]),
        id="hours_on_a_date_give_a_timestamp",
    ),
    pytest.param(
        {"column": "ts", "amount": 45, "unit": "minute"},
        COLUMNS,
        ROWS,
        _ts([datetime(2024, 2, 1, 0, 15), None, datetime(2024, 3, 1, 0, 45)]),
        id="minutes_on_a_timestamp",
    ),
    pytest.param(
        {"column": "ts", "amount": -1, "unit": "second"},
        COLUMNS,
        ROWS,
        _ts([datetime(2024, 1, 31, 23, 29, 59), None, datetime(2024, 2, 29, 23, 59, 59)]),
        id="negative_seconds_across_a_leap_day",
    ),
    pytest.param(
        {"column": "ts", "amount": 1, "unit": "year", "as": "it's"},
        COLUMNS,
        [],
        ([*COLUMNS, "it's"], []),
        id="empty_input",
    ),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_date_add_rows(params, columns, rows, expected):
    names, out = run_transform(DateAddTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_date_add_spark_sql():
    transform = DateAddTransform.model_validate({"column": "d", "amount": -1, "unit": "quarter", "as": "q"})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith("SELECT `id`, `d`, `ts`, `s`, CAST(`d` + INTERVAL '-3' MONTH AS DATE) AS `q` FROM `src`")
    )
    # DuckDB's TIMESTAMP has no time zone: sqlglot names it TIMESTAMP_NTZ on Spark.
    hours = DateAddTransform.model_validate({"column": "d", "amount": 2, "unit": "hour"})
    assert (
        compile_transform(hours, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith("SELECT `id`, CAST(`d` AS TIMESTAMP_NTZ) + INTERVAL '2' HOUR AS `d`, `ts`, `s` FROM `src`")
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "d", "amount": 1, "unit": "days"}, "Input should be 'year'", id="bad_unit"),
        pytest.param(
            {"column": "d", "amount": 1.5, "unit": "day"}, "fractional part", id="fractional_amount"
        ),
        pytest.param({"column": "d", "amount": "x", "unit": "day"}, "valid integer", id="text_amount"),
        pytest.param({"column": "d", "unit": "day"}, "amount\n  Field required", id="no_amount"),
    ],
)
def test_date_add_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        DateAddTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "dd", "amount": 1, "unit": "day"}, 'Did you mean "d"', id="unknown_column"),
        pytest.param(
            {"column": "s", "amount": 1, "unit": "day"}, "needs a date or timestamp", id="text_column"
        ),
    ],
)
def test_date_add_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(DateAddTransform.model_validate(params), COLUMNS, ROWS)
