"""cast_columns: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import datetime
from decimal import Decimal

import duckdb
import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.cast_columns import CastColumnsTransform
from tests.unit.transforms.harness import compile_transform, run_transform

ODD = "x; drop table y"
COLUMNS = {"id": "VARCHAR", "amount": "VARCHAR", "day": "VARCHAR", ODD: "INTEGER"}
GOOD_ROWS = [("1", "10.50", "2024-01-31", 7), ("2", None, None, None)]
ROWS = [*GOOD_ROWS, ("x'", "abc", "not a date", -1)]

CASES = [
    pytest.param(
        {"columns": {"id": "bigint", "amount": "decimal(10,2)", "day": "date", ODD: "varchar"}},
        COLUMNS,
        GOOD_ROWS,
        (list(COLUMNS), [(1, Decimal("10.50"), datetime.date(2024, 1, 31), "7"), (2, None, None, None)]),
        id="strict",
    ),
    pytest.param(
        {"columns": {"amount": "decimal(10,2)", "day": "date", ODD: "varchar"}, "safe": True},
        COLUMNS,
        ROWS,
        (
            list(COLUMNS),
            [
                ("1", Decimal("10.50"), datetime.date(2024, 1, 31), "7"),
                ("2", None, None, None),
                ("x'", None, None, "-1"),
            ],
        ),
        id="safe_gives_null_for_bad_values",
    ),
    pytest.param({"columns": {"id": "int"}}, COLUMNS, [], (list(COLUMNS), []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_cast_columns_rows(params, columns, rows, expected):
    names, out = run_transform(CastColumnsTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_cast_columns_strict_fails_on_bad_values():
    with pytest.raises(duckdb.ConversionException):
        run_transform(CastColumnsTransform.model_validate({"columns": {"amount": "double"}}), COLUMNS, ROWS)


def test_cast_columns_spark_sql():
    # Spark caveat: CAST(decimal AS INT) rounds on DuckDB and truncates on Spark (lowering step).
    transform = CastColumnsTransform.model_validate({"columns": {"id": "bigint", "amount": "decimal(10,2)"}})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            "SELECT CAST(`id` AS BIGINT) AS `id`, CAST(`amount` AS DECIMAL(10, 2)) AS `amount`, `day`, "
            "`x; drop table y` FROM `src`"
        )
    )
    safe = CastColumnsTransform.model_validate({"columns": {"day": "varchar"}, "safe": True})
    assert (
        compile_transform(safe, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith("SELECT `id`, `amount`, TRY_CAST(`day` AS STRING) AS `day`, `x; drop table y` FROM `src`")
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": {}}, "at least one column", id="no_columns"),
        pytest.param({"columns": {"id": "notatype"}}, "'notatype' is not a SQL type", id="unknown_type"),
        pytest.param({"columns": {"id": "int; drop table x"}}, "is not a SQL type", id="trailing_sql"),
        pytest.param({"columns": {"id": "int"}, "safe": "maybe"}, "valid boolean", id="bad_safe"),
    ],
)
def test_cast_columns_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        CastColumnsTransform.model_validate(params)


def test_cast_columns_unknown_column():
    with pytest.raises(TransformError, match='Did you mean "amount"'):
        run_transform(CastColumnsTransform.model_validate({"columns": {"amont": "int"}}), COLUMNS, ROWS)
