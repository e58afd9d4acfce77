"""split_part: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.split_part import SplitPartTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "full_name": "VARCHAR", "code": "INTEGER"}
ROWS = [(1, "Ada O'Neil Lovelace", 123), (2, None, None), (3, "single", 45), (4, "", 6)]


def _with(new_name, values):
    """Expected rows: the upstream rows plus one appended column."""
    return ([*COLUMNS, new_name], [(*row, v) for row, v in zip(ROWS, values, strict=True)])


CASES = [
    pytest.param(
        {"column": "full_name", "delimiter": " ", "index": 1, "as": "first"},
        COLUMNS,
        ROWS,
        _with("first", ["Ada", None, "single", ""]),
        id="first_piece",
    ),
    pytest.param(
        {"column": "full_name", "delimiter": " ", "index": -1, "as": "last"},
        COLUMNS,
        ROWS,
        _with("last", ["Lovelace", None, "single", ""]),
        id="negative_index_counts_from_the_end",
    ),
    pytest.param(
        {"column": "full_name", "delimiter": " ", "index": 5, "as": "p"},
        COLUMNS,
        ROWS,
        _with("p", ["", None, "", ""]),
        id="past_the_end_is_empty",
    ),
    pytest.param(
        {"column": "full_name", "delimiter": "O'", "index": 2},
        COLUMNS,
        ROWS,
        (list(COLUMNS), [(1, "Neil Lovelace", 123), (2, None, None), (3, "", 45), (4, "", 6)]),
        id="quote_in_delimiter_in_place",
    ),
    pytest.param(
        {"column": "code", "delimiter": "2", "index": 1, "as": "p"},
        COLUMNS,
        ROWS,
        _with("p", ["1", None, "45", "6"]),
        id="non_text_is_cast",
    ),
    pytest.param(
        {"column": "full_name", "delimiter": " ", "index": 1, "as": "p"},
        COLUMNS,
        [],
        ([*COLUMNS, "p"], []),
        id="empty_input",
    ),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_split_part_rows(params, columns, rows, expected):
    names, out = run_transform(SplitPartTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_split_part_spark_sql():
    transform = SplitPartTransform.model_validate(
        {"column": "full_name", "delimiter": "'", "index": -1, "as": "last"}
    )
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(r"SELECT `id`, `full_name`, `code`, SPLIT_PART(`full_name`, '\'', -1) AS `last` FROM `src`")
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "full_name", "delimiter": " ", "index": 0}, "1-based", id="index_zero"),
        pytest.param(
            {"column": "full_name", "delimiter": "", "index": 1}, "at least 1 character", id="no_delim"
        ),
        pytest.param(
            {"column": "full_name", "delimiter": " ", "index": 1, "as": ""}, "at least 1", id="empty_as"
        ),
        pytest.param({"column": "full_name", "delimiter": " "}, "index\n  Field required", id="no_index"),
    ],
)
def test_split_part_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        SplitPartTransform.model_validate(params)


def test_split_part_unknown_column():
    transform = SplitPartTransform.model_validate({"column": "fullname", "delimiter": " ", "index": 1})
    with pytest.raises(TransformError, match='Did you mean "full_name"'):
        run_transform(transform, COLUMNS, ROWS)
