"""dict_based_mapping: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.dict_based_mapping import DictBasedMappingTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "status": "VARCHAR", "code": "INTEGER", "grade": "VARCHAR"}
ROWS = [(1, "D", 1, "1"), (2, "S", 2, "2"), (3, None, None, None), (4, "it's", 9, "x")]


def _with(new_name, values):
    return ([*COLUMNS, new_name], [(*row, v) for row, v in zip(ROWS, values, strict=True)])


def _in_place(position, values):
    rows = [(*row[:position], v, *row[position + 1 :]) for row, v in zip(ROWS, values, strict=True)]
    return (list(COLUMNS), rows)


CASES = [
    pytest.param(
        {
            "column": "status",
            "mapping": {"D": "delivered", "S": "shipped", None: "unknown"},
            "default": "other",
            "as": "label",
        },
        COLUMNS,
        ROWS,
        _with("label", ["delivered", "shipped", "unknown", "other"]),
        id="default_and_null_key",
    ),
    pytest.param(
        {"column": "status", "mapping": {"D": "delivered"}},
        COLUMNS,
        ROWS,
        _in_place(1, ["delivered", None, None, None]),
        id="unmapped_become_null_in_place",
    ),
    pytest.param(
        {"column": "status", "mapping": {"it's": 'it "is"'}, "keep_unmapped": True},
        COLUMNS,
        ROWS,
        _in_place(1, ["D", "S", None, 'it "is"']),
        id="keep_unmapped_with_quotes",
    ),
    pytest.param(
        {"column": "code", "mapping": {1: 10, 2: 20.5}, "default": 0},
        COLUMNS,
        ROWS,
        _in_place(2, [10, 20.5, 0, 0]),
        id="numbers",
    ),
    pytest.param(
        {"column": "code", "mapping": {1: "one"}, "keep_unmapped": True},
        COLUMNS,
        ROWS,
        _in_place(2, ["one", "2", None, "9"]),
        id="keep_unmapped_casts_to_text",
    ),
    pytest.param(
        {"column": "grade", "mapping": {1: "A", 2: "B"}},
        COLUMNS,
        ROWS,
        _in_place(3, ["A", "B", None, None]),
        id="number_keys_on_text_column",
    ),
    pytest.param(
        {"column": "status", "mapping": {"D": True}, "default": False, "as": "done"},
        COLUMNS,
        ROWS,
        _with("done", [True, False, False, False]),
        id="booleans",
    ),
    pytest.param(
        {"column": "status", "mapping": {"D": "d"}, "as": "x"},
        COLUMNS,
        [],
        ([*COLUMNS, "x"], []),
        id="empty_input",
    ),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_dict_based_mapping_rows(params, columns, rows, expected):
    names, out = run_transform(DictBasedMappingTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_dict_based_mapping_spark_sql():
    transform = DictBasedMappingTransform.model_validate(
        {"column": "status", "mapping": {"D": "delivered", "it's": "x", None: "unknown"}, "default": "other"}
    )
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            r"SELECT `id`, CASE WHEN `status` = 'D' THEN 'delivered' WHEN `status` = 'it\'s' THEN 'x' "
            r"WHEN `status` IS NULL THEN 'unknown' ELSE 'other' END AS `status`, `code`, `grade` FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "status", "mapping": {}}, "at least 1 item", id="empty_mapping"),
        pytest.param(
            {"column": "status", "mapping": {"a": 1, "b": "x"}}, "mix numbers and text", id="mixed_types"
        ),
        pytest.param(
            {"column": "status", "mapping": {"a": "x"}, "default": 1},
            "mix numbers and text",
            id="default_type",
        ),
        pytest.param(
            {"column": "status", "mapping": {"a": "x"}, "default": "y", "keep_unmapped": True},
            "not both",
            id="default_and_keep",
        ),
        pytest.param({"column": "status", "mapping": {"a": ["x"]}}, "valid string", id="list_value"),
    ],
)
def test_dict_based_mapping_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        DictBasedMappingTransform.model_validate(params)


def test_dict_based_mapping_unknown_column():
    transform = DictBasedMappingTransform.model_validate({"column": "stats", "mapping": {"a": "b"}})
    with pytest.raises(TransformError, match='Did you mean "status"'):
        run_transform(transform, COLUMNS, ROWS)
