"""fill_nulls: rows on a real DuckDB, the Spark SQL, invalid parameters."""

from datetime import date
from decimal import Decimal

import duckdb
import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformContext, TransformError
from odibi_sql.transforms.fill_nulls import FillNullsTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {
    "id": "INTEGER",
    "qty": "INTEGER",
    "channel": "VARCHAR",
    "shipped": "DATE",
    "price": "DECIMAL(10,2)",
    "flag": "BOOLEAN",
}
FULL = (1, 5, "web", date(2024, 1, 1), Decimal("1.50"), True)
ROWS = [FULL, (2, None, None, None, None, None)]

CASES = [
    pytest.param(
        {
            "columns": {
                "qty": 0,
                "channel": 'it\'s "unknown"',
                "shipped": "1900-01-01",
                "price": "0.00",
                "flag": False,
            }
        },
        COLUMNS,
        ROWS,
        (list(COLUMNS), [FULL, (2, 0, 'it\'s "unknown"', date(1900, 1, 1), Decimal("0.00"), False)]),
        id="mapping_keeps_column_types",
    ),
    pytest.param(
        {"columns": ["qty", "id"], "value": -1},
        COLUMNS,
        ROWS,
        (list(COLUMNS), [FULL, (2, -1, None, None, None, None)]),
        id="one_value_for_a_list",
    ),
    pytest.param(
        {"columns": {"channel": 0, "price": 2.5}},
        COLUMNS,
        ROWS,
        (list(COLUMNS), [FULL, (2, None, "0", None, Decimal("2.50"), None)]),
        id="number_into_text_is_text",
    ),
    pytest.param(
        {"columns": {"x; drop table y": "it's"}},
        {"x; drop table y": "VARCHAR"},
        [("a",), (None,)],
        (["x; drop table y"], [("a",), ("it's",)]),
        id="odd_name_and_quotes",
    ),
    pytest.param({"columns": ["qty"], "value": 0}, COLUMNS, [], (list(COLUMNS), []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_fill_nulls_rows(params, columns, rows, expected):
    names, out = run_transform(FillNullsTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_fill_nulls_unknown_upstream_type_uses_plain_literals():
    query = FillNullsTransform.model_validate({"columns": {"shipped": "1900-01-01", "qty": 0}}).apply(
        TransformContext("src", {"shipped": None, "qty": None})
    )
    assert query.sql(dialect="duckdb") == (
        'SELECT COALESCE("shipped", \'1900-01-01\') AS "shipped", COALESCE("qty", 0) AS "qty" FROM "src"'
    )


def test_fill_nulls_value_that_does_not_convert_fails_the_query():
    with pytest.raises(duckdb.ConversionException):
        run_transform(FillNullsTransform.model_validate({"columns": {"qty": "many"}}), COLUMNS, ROWS)


def test_fill_nulls_spark_sql():
    transform = FillNullsTransform.model_validate({"columns": {"qty": 0, "shipped": "1900-01-01"}})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            "SELECT `id`, COALESCE(`qty`, 0) AS `qty`, `channel`, COALESCE(`shipped`, CAST('1900-01-01' AS DATE)) "
            "AS `shipped`, `price`, `flag` FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": ["qty"]}, "needs a value", id="list_without_value"),
        pytest.param({"columns": {"qty": 0}, "value": 1}, "value goes with a list", id="mapping_with_value"),
        pytest.param({"columns": {}}, "at least one column", id="no_columns"),
        pytest.param({"columns": ["qty", "QTY"], "value": 0}, "must be unique", id="duplicates"),
        pytest.param({"columns": {"qty": None}}, "Input should be", id="null_value"),
    ],
)
def test_fill_nulls_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        FillNullsTransform.model_validate(params)


def test_fill_nulls_unknown_column():
    with pytest.raises(TransformError, match='Did you mean "qty"'):
        run_transform(FillNullsTransform.model_validate({"columns": ["qtty"], "value": 0}), COLUMNS, ROWS)
