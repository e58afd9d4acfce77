"""extract_date_parts: rows on a real DuckDB, the Spark SQL, invalid parameters."""

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.extract_date_parts import ExtractDatePartsTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "ts": "TIMESTAMP", "d": "DATE", "s": "VARCHAR"}
ROWS = [
    (1, datetime(2024, 12, 30, 23, 5), date(2024, 2, 29), "a"),  # a Monday in ISO week 1 of 2025; a Thursday
    (2, None, None, None),
    (3, datetime(2023, 1, 1, 0, 0), date(2023, 1, 1), "b"),  # a Sunday in ISO week 52 of 2022
]
ALL_PARTS = ["year", "quarter", "month", "week", "day", "dayofyear", "dayofweek", "hour"]

CASES = [
    pytest.param(
        {"column": "ts", "parts": ALL_PARTS, "prefix": "p_"},
        COLUMNS,
        ROWS,
        (
            [*COLUMNS, *(f"p_{p}" for p in ALL_PARTS)],
            [
                (*ROWS[0], 2024, 4, 12, 1, 30, 365, 1, 23),
                (*ROWS[1], None, None, None, None, None, None, None, None),
                (*ROWS[2], 2023, 1, 1, 52, 1, 1, 7, 0),
            ],
        ),
        id="all_parts_of_a_timestamp",
    ),
    pytest.param(
        {"column": "d", "parts": ["dayofweek", "year"]},
        COLUMNS,
        ROWS,
        (
            [*COLUMNS, "d_dayofweek", "d_year"],
            [(*ROWS[0], 4, 2024), (*ROWS[1], None, None), (*ROWS[2], 7, 2023)],
        ),
        id="default_prefix_on_a_date",
    ),
    pytest.param(
        {"column": "d", "parts": ["month"], "prefix": ""},
        {"month": "VARCHAR", "d": "DATE"},
        [("old", date(2024, 5, 1))],
        (["month", "d"], [(5, date(2024, 5, 1))]),
        id="existing_name_is_replaced_in_place",
    ),
    pytest.param(
        {"column": "ts", "parts": ["year"], "prefix": "it's "},
        COLUMNS,
        [],
        ([*COLUMNS, "it's year"], []),
        id="empty_input_odd_prefix",
    ),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_extract_date_parts_rows(params, columns, rows, expected):
    names, out = run_transform(ExtractDatePartsTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_extract_date_parts_spark_sql():
    # sqlglot renders ISODOW as ((DAYOFWEEK(x) % 7) + 1), which is wrong on Spark (Sunday = 1):
    # the Spark lowering step must rewrite exp.DayOfWeekIso (e.g. WEEKDAY(x) + 1).
    transform = ExtractDatePartsTransform.model_validate(
        {"column": "ts", "parts": ["year", "week", "dayofweek"]}
    )
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            "SELECT `id`, `ts`, `d`, `s`, CAST(YEAR(`ts`) AS INT) AS `ts_year`, CAST(WEEKOFYEAR(`ts`) AS INT) AS "
            "`ts_week`, CAST(((DAYOFWEEK(`ts`) % 7) + 1) AS INT) AS `ts_dayofweek` FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "ts", "parts": []}, "at least 1 item", id="no_parts"),
        pytest.param({"column": "ts", "parts": ["century"]}, "Input should be 'year'", id="unknown_part"),
        pytest.param({"column": "ts", "parts": ["year", "year"]}, "year more than once", id="duplicate_part"),
    ],
)
def test_extract_date_parts_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        ExtractDatePartsTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "tss", "parts": ["year"]}, 'Did you mean "ts"', id="unknown_column"),
        pytest.param({"column": "d", "parts": ["hour"]}, "DATE: it has no hour", id="hour_of_a_date"),
        pytest.param({"column": "s", "parts": ["year"]}, "needs a date or timestamp", id="text_column"),
    ],
)
def test_extract_date_parts_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(ExtractDatePartsTransform.model_validate(params), COLUMNS, ROWS)
