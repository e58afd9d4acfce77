"""select_columns: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.select_columns import SelectColumnsTransform
from tests.unit.transforms.harness import compile_transform, run_transform

ODD = "x; drop table y"
COLUMNS = {"id": "INTEGER", "name": "VARCHAR", ODD: "VARCHAR"}
ROWS = [(1, "it's", 'a "b"'), (2, None, None)]

CASES = [
    pytest.param(
        {"columns": [ODD, "id"]},
        COLUMNS,
        ROWS,
        ([ODD, "id"], [('a "b"', 1), (None, 2)]),
        id="subset_reordered",
    ),
    pytest.param({"columns": ["name"]}, COLUMNS, [], (["name"], []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_select_columns_rows(params, columns, rows, expected):
    names, out = run_transform(SelectColumnsTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_select_columns_spark_sql():
    transform = SelectColumnsTransform.model_validate({"columns": [ODD, "id"]})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith("SELECT `x; drop table y`, `id` FROM `src`")
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": []}, "at least one column", id="no_columns"),
        pytest.param({"columns": ["id", "ID"]}, "must be unique", id="duplicates"),
        pytest.param({"columns": "id"}, "valid list", id="not_a_list"),
    ],
)
def test_select_columns_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        SelectColumnsTransform.model_validate(params)


def test_select_columns_unknown_column():
    with pytest.raises(TransformError, match='Did you mean "name"'):
        run_transform(SelectColumnsTransform.model_validate({"columns": ["nam"]}), COLUMNS, ROWS)
