"""case_when: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.case_when import CaseWhenTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "amount": "DOUBLE", "status": "VARCHAR"}
ROWS = [(1, 1500.0, "shipped"), (2, 150.0, "it's"), (3, 5.0, None), (4, None, "x")]
BANDS = [{"when": "amount >= 1000", "then": "'large'"}, {"when": "amount >= 100", "then": "'medium'"}]


def _with(new_name, values):
    return ([*COLUMNS, new_name], [(*row, v) for row, v in zip(ROWS, values, strict=True)])


CASES = [
    pytest.param(
        {"column": "band", "cases": BANDS, "else": "'small'"},
        COLUMNS,
        ROWS,
        _with("band", ["large", "medium", "small", "small"]),
        id="first_match_wins_and_null_goes_to_else",
    ),
    pytest.param(
        {"column": "band", "cases": BANDS},
        COLUMNS,
        ROWS,
        _with("band", ["large", "medium", None, None]),
        id="no_else",
    ),
    pytest.param(
        {"column": "status", "cases": [{"when": "status = 'it''s'", "then": "'it is'"}], "else": "status"},
        COLUMNS,
        ROWS,
        (list(COLUMNS), [(1, 1500.0, "shipped"), (2, 150.0, "it is"), (3, 5.0, None), (4, None, "x")]),
        id="replaces_in_place_with_quotes",
    ),
    pytest.param(
        {"column": "big", "cases": [{"when": "amount > 100", "then": 1}], "else": 0},
        COLUMNS,
        ROWS,
        _with("big", [1, 1, 0, 0]),
        id="yaml_numbers",
    ),
    pytest.param(
        {"column": 'a "b"', "cases": [{"when": True, "then": "id * 10"}]},
        COLUMNS,
        ROWS,
        _with('a "b"', [10, 20, 30, 40]),
        id="odd_output_name",
    ),
    pytest.param({"column": "band", "cases": BANDS}, COLUMNS, [], ([*COLUMNS, "band"], []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_case_when_rows(params, columns, rows, expected):
    names, out = run_transform(CaseWhenTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_case_when_spark_sql():
    transform = CaseWhenTransform.model_validate({"column": "band", "cases": BANDS, "else": "'small'"})
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            "SELECT `id`, `amount`, `status`, CASE WHEN amount >= 1000 THEN 'large' WHEN amount >= 100 "
            "THEN 'medium' ELSE 'small' END AS `band` FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"column": "band", "cases": []}, "at least 1 item", id="no_cases"),
        pytest.param({"column": "band", "cases": [{"when": "true", "than": "1"}]}, "than", id="typo_in_case"),
        pytest.param({"column": "band", "cases": [{"when": " ", "then": "1"}]}, "not empty", id="empty_when"),
        pytest.param({"column": "", "cases": BANDS}, "at least 1 character", id="empty_column"),
    ],
)
def test_case_when_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        CaseWhenTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {"column": "b", "cases": [{"when": "amout > 1", "then": "1"}]},
            'Did you mean "amount"',
            id="unknown",
        ),
        pytest.param(
            {"column": "b", "cases": [{"when": "amount > 1", "then": "large"}]},
            r'cases\[0\].then: column "large" does not exist',
            id="unquoted_text_value",
        ),
        pytest.param(
            {"column": "b", "cases": [{"when": "amount >", "then": "1"}]}, "not valid SQL", id="bad_sql"
        ),
    ],
)
def test_case_when_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message) as info:
        run_transform(CaseWhenTransform.model_validate(params), COLUMNS, ROWS)
    if "large" in message:
        assert "quote them" in info.value.hint
