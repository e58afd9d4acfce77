"""validate_and_flag: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.validate_and_flag import ValidateAndFlagTransform
from tests.unit.transforms.harness import compile_transform, run_transform

COLUMNS = {"id": "INTEGER", "amount": "DOUBLE", "status": "VARCHAR"}
ROWS = [(1, 10.0, "shipped"), (2, -1.0, "lost"), (3, None, "shipped"), (4, -5.0, None)]
RULES = {"amount_positive": "amount > 0", "known_status": "status in ('created', 'shipped')"}


def _with(new_name, values, rows=ROWS, columns=COLUMNS):
    return ([*columns, new_name], [(*row, v) for row, v in zip(rows, values, strict=True)])


CASES = [
    pytest.param(
        {"rules": RULES},
        COLUMNS,
        ROWS,
        _with(
            "failed_rules",
            [None, "amount_positive, known_status", "amount_positive", "amount_positive, known_status"],
        ),
        id="lists_failed_rules_and_null_fails",
    ),
    pytest.param(
        {"rules": {"amount_ok": "amount is null or amount > 0"}, "flag_column": "errors"},
        COLUMNS,
        ROWS,
        _with("errors", [None, "amount_ok", None, "amount_ok"]),
        id="null_tolerant_rule",
    ),
    pytest.param(
        {"rules": {'it\'s "odd"': "id <> 2"}, "flag_column": "x; drop table y"},
        COLUMNS,
        ROWS,
        _with("x; drop table y", [None, 'it\'s "odd"', None, None]),
        id="odd_rule_and_column_names",
    ),
    pytest.param(
        {"rules": {"positive": "amount > 0"}},
        {**COLUMNS, "failed_rules": "VARCHAR"},
        [(*ROWS[0], "old"), (*ROWS[1], "old")],
        ([*COLUMNS, "failed_rules"], [(*ROWS[0], None), (*ROWS[1], "positive")]),
        id="existing_flag_column_replaced",
    ),
    pytest.param({"rules": RULES}, COLUMNS, [], ([*COLUMNS, "failed_rules"], []), id="empty_input"),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_validate_and_flag_rows(params, columns, rows, expected):
    names, out = run_transform(ValidateAndFlagTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_validate_and_flag_spark_sql():
    transform = ValidateAndFlagTransform.model_validate(
        {"rules": {"amount_positive": "amount > 0", "it's": "id > 1"}}
    )
    assert (
        compile_transform(transform, COLUMNS, ROWS)
        .sql(dialect="spark")
        .endswith(
            "SELECT `id`, `amount`, `status`, NULLIF(CONCAT_WS(', ', CASE WHEN amount > 0 THEN NULL ELSE "
            r"'amount_positive' END, CASE WHEN id > 1 THEN NULL ELSE 'it\'s' END), '') AS `failed_rules` FROM `src`"
        )
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"rules": {}}, "at least one rule", id="no_rules"),
        pytest.param({"rules": {"r": " "}}, 'condition of rule "r" is empty', id="empty_condition"),
        pytest.param({"rules": {"r": "id > 0"}, "flag_column": ""}, "at least 1 character", id="empty_flag"),
        pytest.param({"rules": ["id > 0"]}, "valid dictionary", id="list_of_rules"),
    ],
)
def test_validate_and_flag_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        ValidateAndFlagTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {"rules": {"r": "amout > 0"}}, 'rule "r": column "amout".*Did you mean "amount"', id="unknown"
        ),
        pytest.param({"rules": {"r": "amount >"}}, "not valid SQL", id="bad_sql"),
    ],
)
def test_validate_and_flag_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(ValidateAndFlagTransform.model_validate(params), COLUMNS, ROWS)
