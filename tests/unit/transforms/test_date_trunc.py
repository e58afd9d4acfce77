"""date_trunc: rows on a real DuckDB, the Spark SQL, invalid parameters."""

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.date_trunc import DateTruncTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "d": "DATE", "ts": "TIMESTAMP", "s": "VARCHAR"}
ROWS = [(1, date(2024, 5, 17), datetime(2024, 5, 17, 13, 45, 30), "a"), (2, None, None, None)]


def _with(new_name, values):
    return ([*COLUMNS, new_name], [(*row, v) for row, v in zip(ROWS, values, strict=True)])


CASES = [
    pytest.param(
        {"column": "d", "unit": "week"},
        COLUMNS,
        ROWS,
        (list(COLUMNS), [(1, date(2024, 5, 13), *ROWS[0][2:]), ROWS[1]]),
        id="week_starts_monday_and_a_date_stays_a_date",
    ),
    pytest.param(
        {"column": "d", "unit": "month", "as": "m"},
        COLUMNS,
        ROWS,
        _with("m", [date(2024, 5, 1), None]),
        id="month",
    ),
    pytest.param(
        {"column": "ts", "unit": "quarter", "as": "q"},
        COLUMNS,
        ROWS,
        _with("q", [datetime(2024, 4, 1), None]),
        id="quarter_of_a_timestamp",
    ),
    pytest.param(
        {"column": "ts", "unit": "hour", "as": "h"},
        COLUMNS,
        ROWS,
        _with("h", [datetime(2024, 5, 17, 13), None]),
        id="hour",
    ),
    pytest.param(
        {"column": "ts", "unit": "minute", "as": 'x"; --'},
        COLUMNS,
        [],
        ([*COLUMNS, 'x"; --'], []),
        id="empty_input_odd_name",
    ),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_date_trunc_rows(params, columns, rows, expected):
    names, out = run_transform(DateTruncTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_date_trunc_spark_sql():
    transform = DateTruncTransform.model_validate({"column": "d", "unit": "month", "as": "m"})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith("SELECT `id`, `d`, `ts`, `s`, CAST(DATE_TRUNC('MONTH', `d`) AS DATE) AS `m` FROM `src`")
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "d", "unit": "fortnight"}, "Input should be 'year'", id="bad_unit"),
        pytest.param({"column": "d"}, "unit\n  Field required", id="no_unit"),
    ],
)
def test_date_trunc_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        DateTruncTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "tss", "unit": "day"}, 'Did you mean "ts"', id="unknown_column"),
        pytest.param({"column": "s", "unit": "day"}, "needs a date or timestamp", id="text_column"),
    ],
)
def test_date_trunc_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(DateTruncTransform.model_validate(params), COLUMNS, ROWS)
