"""rename_columns: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.rename_columns import RenameColumnsTransform
from tests.unit.transforms.harness import compile_transform, run_transform

ODD = "x; drop table y"
COLUMNS = {"id": "INTEGER", "name": "VARCHAR", ODD: "VARCHAR"}
ROWS = [(1, "it's", 'a "b"'), (2, None, None)]

CASES = [
    pytest.param(
        {"columns": {"name": "customer_name", ODD: "safe_name"}},
        COLUMNS,
        ROWS,
        (["id", "customer_name", "safe_name"], ROWS),
        id="keeps_order",
    ),
    pytest.param(
        {"columns": {"id": "name", "name": "id"}}, COLUMNS, ROWS, (["name", "id", ODD], ROWS), id="swap"
    ),
    pytest.param(
        {"columns": {"id": 'a`b"c'}}, COLUMNS, ROWS, (['a`b"c', "name", ODD], ROWS), id="odd_new_name"
    ),
    pytest.param({"columns": {"id": "ID"}}, COLUMNS, ROWS, (["ID", "name", ODD], ROWS), id="change_case"),
    pytest.param({"columns": {"id": "key"}}, COLUMNS, [], (["key", "name", ODD], []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_rename_columns_rows(params, columns, rows, expected):
    names, out = run_transform(RenameColumnsTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_rename_columns_spark_sql():
    transform = RenameColumnsTransform.model_validate({"columns": {"name": "customer_name"}})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith("SELECT `id`, `name` AS `customer_name`, `x; drop table y` FROM `src`")
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": {}}, "at least one column", id="no_columns"),
        pytest.param({"columns": {"id": "a", "name": "A"}}, "must be unique", id="duplicate_new_names"),
        pytest.param({"columns": {"id": ""}}, "empty column name", id="empty_new_name"),
        pytest.param({"columns": ["id"]}, "valid dictionary", id="list_instead_of_mapping"),
    ],
)
def test_rename_columns_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        RenameColumnsTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": {"nme": "n"}}, 'Did you mean "name"', id="unknown_column"),
        pytest.param(
            {"columns": {"id": "NAME"}},
            r'share the name "name" .*: "id" \(renamed to "NAME"\) and "name" \(kept\)',
            id="collision",
        ),
    ],
)
def test_rename_columns_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(RenameColumnsTransform.model_validate(params), COLUMNS, ROWS)
