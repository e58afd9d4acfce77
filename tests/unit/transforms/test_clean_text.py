"""clean_text: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.clean_text import CleanTextTransform
from tests.unit.transforms.harness import compile_transform, run_transform

ODD = "x; drop table y"
COLUMNS = {"id": "INTEGER", "city": "VARCHAR", ODD: "VARCHAR"}
ROWS = [(1, "  São\tPaulo \n", "  it's  "), (2, None, None), (3, "a\x01b\x7f", '"Q"  '), (4, "", "")]

CASES = [
    pytest.param(
        {"columns": ["city", ODD]},
        COLUMNS,
        ROWS,
        (
            list(COLUMNS),
            [(1, "São\tPaulo \n", "it's"), (2, None, None), (3, "a\x01b\x7f", '"Q"'), (4, "", "")],
        ),
        id="trim_only_spaces_by_default",
    ),
    pytest.param(
        {"columns": ["city"], "case": "upper", "collapse_whitespace": True, "remove_non_printable": True},
        COLUMNS,
        ROWS,
        (list(COLUMNS), [(1, "SÃO PAULO", "  it's  "), (2, None, None), (3, "AB", '"Q"  '), (4, "", "")]),
        id="everything",
    ),
    pytest.param(
        {"columns": ["city"], "trim": False, "case": "lower"},
        COLUMNS,
        ROWS[:2],
        (list(COLUMNS), [(1, "  são\tpaulo \n", "  it's  "), (2, None, None)]),
        id="lower_without_trim",
    ),
    pytest.param(
        {"columns": ["city"], "trim": False, "remove_non_printable": True},
        COLUMNS,
        ROWS,
        (list(COLUMNS), [(1, "  SãoPaulo ", "  it's  "), (2, None, None), (3, "ab", '"Q"  '), (4, "", "")]),
        id="remove_non_printable_drops_tabs_and_newlines",
    ),
    pytest.param({"columns": ["city"]}, COLUMNS, [], (list(COLUMNS), []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_clean_text_rows(params, columns, rows, expected):
    names, out = run_transform(CleanTextTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_clean_text_spark_sql():
    transform = CleanTextTransform.model_validate(
        {"columns": ["city"], "case": "lower", "collapse_whitespace": True, "remove_non_printable": True}
    )
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            r"SELECT `id`, LOWER(TRIM(REGEXP_REPLACE(REGEXP_REPLACE(`city`, '[\\x09-\\x0D ]+', ' '), "
            r"'[\\x00-\\x1F\\x7F-\\x9F]', ''))) AS `city`, `x; drop table y` FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": []}, "at least one text column", id="no_columns"),
        pytest.param({"columns": ["city"], "trim": False}, "nothing to do", id="nothing_to_do"),
        pytest.param({"columns": ["city"], "case": "title"}, "'lower' or 'upper'", id="bad_case"),
    ],
)
def test_clean_text_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        CleanTextTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": ["cty"]}, 'Did you mean "city"', id="unknown_column"),
        pytest.param({"columns": ["id"]}, '"id" is INT', id="not_text"),
    ],
)
def test_clean_text_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(CleanTextTransform.model_validate(params), COLUMNS, ROWS)
