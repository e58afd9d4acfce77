"""convert_timezone: rows on a real DuckDB, the Spark SQL, invalid parameters."""

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.convert_timezone import ConvertTimezoneTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "ts": "TIMESTAMP", "d": "DATE", "s": "VARCHAR", "tz": "TIMESTAMP WITH TIME ZONE"}
WINTER, SUMMER = datetime(2024, 1, 15, 12, 0), datetime(2024, 7, 15, 12, 0)
ROWS = [
    (1, WINTER, date(2024, 1, 15), "a", None),
    (2, None, None, None, None),
    (3, SUMMER, date(2024, 7, 15), "b", None),
]


def _with(new_name, values):
    return ([*COLUMNS, new_name], [(*row, v) for row, v in zip(ROWS, values, strict=True)])


CASES = [
    pytest.param(
        {"column": "ts", "from_tz": "UTC", "to_tz": "America/Sao_Paulo", "as": "local"},
        COLUMNS,
        ROWS,
        _with("local", [datetime(2024, 1, 15, 9), None, datetime(2024, 7, 15, 9)]),
        id="utc_to_sao_paulo",
    ),
    pytest.param(
        {"column": "ts", "to_tz": "Europe/Paris"},
        COLUMNS,
        ROWS,
        (
            list(COLUMNS),
            [
                (1, datetime(2024, 1, 15, 13), *ROWS[0][2:]),
                ROWS[1],
                (3, datetime(2024, 7, 15, 14), *ROWS[2][2:]),
            ],
        ),
        id="from_utc_by_default_in_place_with_dst",
    ),
    pytest.param(
        {"column": "ts", "from_tz": "America/New_York", "to_tz": "UTC", "as": "utc"},
        COLUMNS,
        ROWS,
        _with("utc", [datetime(2024, 1, 15, 17), None, datetime(2024, 7, 15, 16)]),
        id="to_utc",
    ),
    pytest.param(
        {"column": "d", "from_tz": "Asia/Tokyo", "to_tz": "UTC", "as": "utc"},
        COLUMNS,
        ROWS,
        _with("utc", [datetime(2024, 1, 14, 15), None, datetime(2024, 7, 14, 15)]),
        id="date_is_midnight",
    ),
    pytest.param(
        {"column": "ts", "to_tz": "Europe/Paris", "as": "it's"},
        COLUMNS,
        [],
        ([*COLUMNS, "it's"], []),
        id="empty",
    ),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_convert_timezone_rows(params, columns, rows, expected):
    names, out = run_transform(ConvertTimezoneTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_convert_timezone_spark_sql():
    transform = ConvertTimezoneTransform.model_validate(
        {"column": "ts", "from_tz": "UTC", "to_tz": "America/Sao_Paulo", "as": "local"}
    )
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            "SELECT `id`, `ts`, `d`, `s`, `tz`, CONVERT_TIMEZONE('UTC', 'America/Sao_Paulo', `ts`) AS `local` FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "ts", "to_tz": "Mars/Olympus"}, "not an IANA time zone", id="unknown_zone"),
        pytest.param(
            {"column": "ts", "to_tz": "Europe/Pari"}, 'Did you mean "Europe/Paris"', id="typo_in_zone"
        ),
        pytest.param({"column": "ts", "to_tz": "UTC'; drop"}, "not an IANA time zone", id="injection"),
        pytest.param({"column": "ts"}, "to_tz\n  Field required", id="no_target"),
    ],
)
def test_convert_timezone_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        ConvertTimezoneTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "tss", "to_tz": "UTC"}, 'Did you mean "ts"', id="unknown_column"),
        pytest.param({"column": "tz", "to_tz": "UTC"}, "already has a time zone", id="timestamptz"),
        pytest.param({"column": "s", "to_tz": "UTC"}, "needs a date or timestamp", id="text"),
    ],
)
def test_convert_timezone_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(ConvertTimezoneTransform.model_validate(params), COLUMNS, ROWS)
