"""drop_columns: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.drop_columns import DropColumnsTransform
from tests.unit.transforms.harness import compile_transform, run_transform

ODD = "x; drop table y"
COLUMNS = {"id": "INTEGER", "name": "VARCHAR", ODD: "VARCHAR"}
ROWS = [(1, "it's", 'a "b"'), (2, None, None)]

CASES = [
    pytest.param(
        {"columns": [ODD]}, COLUMNS, ROWS, (["id", "name"], [(1, "it's"), (2, None)]), id="odd_name"
    ),
    pytest.param({"columns": ["id", "name"]}, COLUMNS, ROWS, ([ODD], [('a "b"',), (None,)]), id="several"),
    pytest.param({"columns": ["name"]}, COLUMNS, [], (["id", ODD], []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_drop_columns_rows(params, columns, rows, expected):
    names, out = run_transform(DropColumnsTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_drop_columns_spark_sql():
    transform = DropColumnsTransform.model_validate({"columns": ["name"]})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith("SELECT `id`, `x; drop table y` FROM `src`")
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": []}, "at least one column", id="no_columns"),
        pytest.param({"columns": ["id", "id"]}, "must be unique", id="duplicates"),
    ],
)
def test_drop_columns_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        DropColumnsTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": ["nme"]}, 'Did you mean "name"', id="unknown_column"),
        pytest.param({"columns": ["id", "name", ODD]}, "every column", id="drops_everything"),
    ],
)
def test_drop_columns_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(DropColumnsTransform.model_validate(params), COLUMNS, ROWS)
