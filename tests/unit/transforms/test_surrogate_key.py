"""surrogate_key: rows on a real DuckDB (dbt_utils' formula via hashlib), the Spark SQL, invalid parameters."""

import hashlib
from datetime import date

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.surrogate_key import SurrogateKeyTransform
from tests.unit.transforms.harness import compile_transform, run_transform

ODD = "x; drop table y"
COLUMNS = {"order_id": "VARCHAR", "item": "INTEGER", ODD: "DATE"}
ROWS = [("o'1", 1, date(2024, 1, 31)), (None, None, None), ("", 2, None)]
NULL = "_dbt_utils_surrogate_key_null_"


def _dbt_key(*pieces):
    """dbt_utils.generate_surrogate_key: md5 of the '-'-joined text, NULL replaced by the marker."""
    return hashlib.md5("-".join(NULL if p is None else p for p in pieces).encode()).hexdigest()


CASES = [
    pytest.param(
        {"columns": ["order_id", "item"], "as": "sk"},
        COLUMNS,
        ROWS,
        (
            [*COLUMNS, "sk"],
            [
                (*ROWS[0], _dbt_key("o'1", "1")),
                (*ROWS[1], _dbt_key(None, None)),
                (*ROWS[2], _dbt_key("", "2")),
            ],
        ),
        id="matches_dbt_utils",
    ),
    pytest.param(
        {"columns": [ODD], "as": "sk"},
        COLUMNS,
        ROWS,
        (
            [*COLUMNS, "sk"],
            [(*ROWS[0], _dbt_key("2024-01-31")), (*ROWS[1], _dbt_key(None)), (*ROWS[2], _dbt_key(None))],
        ),
        id="single_date_column_odd_name",
    ),
    pytest.param({"columns": ["item"], "as": "sk"}, COLUMNS, [], ([*COLUMNS, "sk"], []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_surrogate_key_rows(params, columns, rows, expected):
    names, out = run_transform(SurrogateKeyTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_surrogate_key_spark_sql():
    transform = SurrogateKeyTransform.model_validate({"columns": ["order_id", "item"], "as": "sk"})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            "SELECT `order_id`, `item`, `x; drop table y`, MD5(CONCAT_WS('-', COALESCE(`order_id`, "
            "'_dbt_utils_surrogate_key_null_'), COALESCE(CAST(`item` AS STRING), '_dbt_utils_surrogate_key_null_'))) "
            "AS `sk` FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": [], "as": "sk"}, "at least one column", id="no_columns"),
        pytest.param({"columns": ["item"]}, "as\n  Field required", id="no_output"),
        pytest.param({"columns": ["item"], "as": "sk", "algorithm": "md5"}, "Extra inputs", id="unknown_key"),
    ],
)
def test_surrogate_key_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        SurrogateKeyTransform.model_validate(params)


def test_surrogate_key_unknown_column():
    transform = SurrogateKeyTransform.model_validate({"columns": ["order_ids"], "as": "sk"})
    with pytest.raises(TransformError, match='Did you mean "order_id"'):
        run_transform(transform, COLUMNS, ROWS)
