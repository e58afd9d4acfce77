"""date_diff: rows on a real DuckDB (boundary semantics), the Spark SQL, invalid parameters."""

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.date_diff import DateDiffTransform
from tests.unit.transforms.harness import compile_transform, run_transform

# "end" is a reserved word: it must come out quoted.
COLUMNS = {
    "id": "INTEGER",
    "start": "TIMESTAMP",
    "end": "TIMESTAMP",
    "d1": "DATE",
    "d2": "DATE",
    "s": "VARCHAR",
}
ROWS = [
    (1, datetime(2024, 1, 31, 23, 59), datetime(2024, 2, 1, 0, 1), date(2024, 1, 1), date(2024, 1, 14), "a"),
    (2, None, None, None, None, None),
    (
        3,
        datetime(2024, 3, 10, 10, 59),
        datetime(2024, 3, 10, 11, 0),
        date(2024, 1, 10),
        date(2024, 1, 3),
        "b",
    ),
    (4, datetime(2024, 12, 31, 12, 0), datetime(2026, 1, 1, 11, 0), date(2024, 3, 31), date(2024, 4, 1), "c"),
]


def _with(new_name, values):
    return ([*COLUMNS, new_name], [(*row, v) for row, v in zip(ROWS, values, strict=True)])


def _case(unit, start, end, values, case_id):
    params = {"start": start, "end": end, "unit": unit, "as": "n"}
    return pytest.param(params, COLUMNS, ROWS, _with("n", values), id=case_id)


CASES = [
    _case("day", "start", "end", [1, None, 0, 366], "day_counts_midnights"),
    _case("month", "start", "end", [1, None, 0, 13], "month_counts_month_starts"),
    _case("hour", "start", "end", [1, None, 1, 8783], "hour_counts_hour_starts"),
    _case("minute", "start", "end", [2, None, 1, 526980], "minute"),
    _case("year", "start", "end", [0, None, 0, 2], "year_counts_new_years"),
    _case("quarter", "d1", "d2", [0, None, 0, 1], "quarter"),
    _case("week", "d1", "d2", [1, None, -1, 0], "week_is_whole_seven_day_periods"),
    _case("day", "d1", "d2", [13, None, -7, 1], "negative_when_end_is_before_start"),
    pytest.param(
        {"start": "d1", "end": "d2", "unit": "day", "as": "d1"},
        COLUMNS,
        ROWS[:2],
        (list(COLUMNS), [(1, ROWS[0][1], ROWS[0][2], 13, *ROWS[0][4:]), ROWS[1]]),
        id="existing_output_replaced_in_place",
    ),
    pytest.param(
        {"start": "start", "end": "end", "unit": "second", "as": "n"},
        COLUMNS,
        [],
        ([*COLUMNS, "n"], []),
        id="empty",
    ),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_date_diff_rows(params, columns, rows, expected):
    names, out = run_transform(DateDiffTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_date_diff_spark_sql():
    # sqlglot's rendering: Spark's DATEDIFF(unit, a, b) counts whole units elapsed, not boundaries,
    # so the Spark lowering step must rewrite exp.DateDiff(date_part_boundary=True).
    transform = DateDiffTransform.model_validate({"start": "start", "end": "end", "unit": "month", "as": "n"})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            "SELECT `id`, `start`, `end`, `d1`, `d2`, `s`, CAST(DATEDIFF(MONTH, `start`, `end`) AS BIGINT) AS `n` "
            "FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"start": "d1", "end": "d2", "unit": "day"}, "as\n  Field required", id="no_as"),
        pytest.param(
            {"start": "d1", "end": "d2", "unit": "days", "as": "n"}, "Input should be 'year'", id="bad_unit"
        ),
        pytest.param(
            {"start": "d1", "end": "d2", "unit": "day", "as": ""}, "at least 1 character", id="empty_as"
        ),
    ],
)
def test_date_diff_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        DateDiffTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {"start": "strt", "end": "end", "unit": "day", "as": "n"}, 'Did you mean "start"', id="unknown"
        ),
        pytest.param(
            {"start": "d1", "end": "s", "unit": "day", "as": "n"}, "needs a date or timestamp", id="text"
        ),
    ],
)
def test_date_diff_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(DateDiffTransform.model_validate(params), COLUMNS, ROWS)
