"""regex_replace: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError
from sqlglot import exp

from odibi_sql.transforms.base import TransformContext, TransformError
from odibi_sql.transforms.regex_replace import RegexReplaceTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "phone": "VARCHAR", "n": "INTEGER"}
ROWS = [(1, "(11) 9876-5432", 1001), (2, None, None), (3, "it's 'quoted'", 0)]


def _with(new_name, values):
    return ([*COLUMNS, new_name], [(*row, v) for row, v in zip(ROWS, values, strict=True)])


def _in_place(values):
    return (list(COLUMNS), [(row[0], v, row[2]) for row, v in zip(ROWS, values, strict=True)])


CASES = [
    pytest.param(
        {"column": "phone", "pattern": "[^0-9]", "replacement": "", "as": "digits"},
        COLUMNS,
        ROWS,
        _with("digits", ["1198765432", None, ""]),
        id="all_matches_by_default",
    ),
    pytest.param(
        {"column": "phone", "pattern": "'", "replacement": '"', "all": False},
        COLUMNS,
        ROWS,
        _in_place(["(11) 9876-5432", None, "it\"s 'quoted'"]),
        id="first_match_only",
    ),
    pytest.param(
        {"column": "phone", "pattern": "'", "replacement": "''"},
        COLUMNS,
        ROWS,
        _in_place(["(11) 9876-5432", None, "it''s ''quoted''"]),
        id="quotes_in_pattern_and_replacement",
    ),
    pytest.param(
        {"column": "phone", "pattern": r"(\d+)-(\d+)", "replacement": r"\2-\1"},
        COLUMNS,
        ROWS,
        _in_place(["(11) 5432-9876", None, "it's 'quoted'"]),
        id="group_references",
    ),
    pytest.param(
        {"column": "n", "pattern": "0", "replacement": "o", "as": "s"},
        COLUMNS,
        ROWS,
        _with("s", ["1oo1", None, "o"]),
        id="non_text_is_cast",
    ),
    pytest.param(
        {"column": "phone", "pattern": "x", "replacement": ""},
        COLUMNS,
        [],
        (list(COLUMNS), []),
        id="empty_input",
    ),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_regex_replace_rows(params, columns, rows, expected):
    names, out = run_transform(RegexReplaceTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_regex_replace_spark_sql():
    transform = RegexReplaceTransform.model_validate(
        {"column": "phone", "pattern": r"(\d+)-'", "replacement": r"\1", "as": "p"}
    )
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(r"SELECT `id`, `phone`, `n`, REGEXP_REPLACE(`phone`, '(\\d+)-\'', '\\1') AS `p` FROM `src`")
    )
    # all: false renders the same on Spark (which replaces every match), and \1 must become $1:
    # both are left to the Spark lowering step, which sees single_replace without the 'g' modifier.
    first = RegexReplaceTransform.model_validate(
        {"column": "phone", "pattern": "a", "replacement": "b", "all": False}
    )
    regexp = next(first.apply(TransformContext("src", COLUMNS)).find_all(exp.RegexpReplace))
    assert regexp.args.get("single_replace") and not regexp.args.get("modifiers")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {"column": "phone", "pattern": "", "replacement": ""}, "at least 1 character", id="no_pattern"
        ),
        pytest.param(
            {"column": "phone", "pattern": "a"}, "replacement\n  Field required", id="no_replacement"
        ),
        pytest.param(
            {"column": "phone", "pattern": "a", "replacement": "", "all": "maybe"},
            "valid boolean",
            id="bad_all",
        ),
    ],
)
def test_regex_replace_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        RegexReplaceTransform.model_validate(params)


def test_regex_replace_unknown_column():
    transform = RegexReplaceTransform.model_validate({"column": "phon", "pattern": "a", "replacement": ""})
    with pytest.raises(TransformError, match='Did you mean "phone"'):
        run_transform(transform, COLUMNS, ROWS)
