import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.filter_rows import FilterRowsTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "status": "VARCHAR"}
ROWS = [(1, "shipped"), (2, "canceled"), (3, None), (4, "it's")]


def test_filter_rows_keeps_matching_rows_and_drops_null_conditions():
    cols, rows = run_transform(FilterRowsTransform(condition="status <> 'canceled'"), COLUMNS, ROWS)
    assert cols == ["id", "status"]
    assert sorted(rows) == [(1, "shipped"), (4, "it's")]


def test_filter_rows_empty_input():
    assert run_transform(FilterRowsTransform(condition="id > 1"), COLUMNS, [])[1] == []


def test_filter_rows_spark_rendering():
    sql = compile_transform(FilterRowsTransform(condition="id > 1"), COLUMNS, ROWS).sql(dialect="spark")
    assert sql.endswith("SELECT * FROM `src` WHERE id > 1")


def test_filter_rows_invalid_params():
    with pytest.raises(ValidationError, match="conditon"):
        FilterRowsTransform.model_validate({"conditon": "x"})
    with pytest.raises(TransformError, match="not valid SQL"):
        run_transform(FilterRowsTransform(condition="id >"), COLUMNS, ROWS)
