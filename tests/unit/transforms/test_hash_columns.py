"""hash_columns: rows on a real DuckDB (checked against hashlib), the Spark SQL, invalid parameters."""

import hashlib
from datetime import date

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.hash_columns import HashColumnsTransform
from tests.unit.transforms.harness import compile_transform, run_transform

ODD = "x; drop table y"
COLUMNS = {"id": "INTEGER", "email": "VARCHAR", ODD: "VARCHAR", "day": "DATE"}
ROWS = [(1, "a@x.com", "it's", date(2024, 1, 31)), (2, None, None, None), (3, "", "", date(2024, 2, 1))]


def _sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def _with(new_name, values):
    return ([*COLUMNS, new_name], [(*row, v) for row, v in zip(ROWS, values, strict=True)])


CASES = [
    pytest.param(
        {"columns": ["id", "email"], "as": "h"},
        COLUMNS,
        ROWS,
        _with("h", [_sha256("1|a@x.com"), _sha256("2|__odibi_null__"), _sha256("3|")]),
        id="sha256_by_default_null_differs_from_empty",
    ),
    pytest.param(
        {"columns": [ODD, "day", "id"], "algorithm": "md5", "as": "h"},
        COLUMNS,
        ROWS,
        _with(
            "h",
            [_md5("it's|2024-01-31|1"), _md5("__odibi_null__|__odibi_null__|2"), _md5("|2024-02-01|3")],
        ),
        id="md5_odd_name_and_date",
    ),
    pytest.param(
        {"columns": ["email"], "algorithm": "md5", "as": "email"},
        COLUMNS,
        ROWS,
        (
            list(COLUMNS),
            [
                (1, _md5("a@x.com"), *ROWS[0][2:]),
                (2, _md5("__odibi_null__"), *ROWS[1][2:]),
                (3, _md5(""), *ROWS[2][2:]),
            ],
        ),
        id="replaces_existing_column",
    ),
    pytest.param({"columns": ["id"], "as": "h"}, COLUMNS, [], ([*COLUMNS, "h"], []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_hash_columns_rows(params, columns, rows, expected):
    names, out = run_transform(HashColumnsTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_hash_columns_spark_sql():
    transform = HashColumnsTransform.model_validate({"columns": ["id", "email"], "as": "h"})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            "SELECT `id`, `email`, `x; drop table y`, `day`, SHA2(CONCAT_WS('|', COALESCE(CAST(`id` AS STRING), "
            "'__odibi_null__'), COALESCE(`email`, '__odibi_null__')), 256) AS `h` FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {"columns": ["id"], "algorithm": "sha1", "as": "h"}, "'md5' or 'sha256'", id="bad_algorithm"
        ),
        pytest.param({"columns": [], "as": "h"}, "at least one column", id="no_columns"),
        pytest.param({"columns": ["id"]}, "as\n  Field required", id="no_output"),
        pytest.param({"columns": ["id", "id"], "as": "h"}, "must be unique", id="duplicates"),
    ],
)
def test_hash_columns_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        HashColumnsTransform.model_validate(params)


def test_hash_columns_unknown_column():
    transform = HashColumnsTransform.model_validate({"columns": ["id", "emial"], "as": "h"})
    with pytest.raises(TransformError, match='Did you mean "email"'):
        run_transform(transform, COLUMNS, ROWS)
