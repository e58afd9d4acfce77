"""derive_columns: rows on a real DuckDB, the Spark SQL, invalid parameters."""

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.derive_columns import DeriveColumnsTransform
from tests.unit.transforms.harness import compile_transform, run_transform

ODD = "x; drop table y"
COLUMNS = {"id": "INTEGER", "amount": "DOUBLE", "status": "VARCHAR", ODD: "VARCHAR"}
ROWS = [(1, 10.0, "shipped", "it's"), (2, None, None, None), (3, -1.5, 'say "hi"', "")]

# (params, upstream columns, upstream rows, (expected columns, expected rows))
CASES = [
    pytest.param(
        {"columns": {"status": "upper(status)", "amount_x2": "amount * 2"}},
        COLUMNS,
        ROWS,
        (
            ["id", "amount", "status", ODD, "amount_x2"],
            [
                (1, 10.0, "SHIPPED", "it's", 20.0),
                (2, None, None, None, None),
                (3, -1.5, 'SAY "HI"', "", -3.0),
            ],
        ),
        id="replaces_in_place_and_appends",
    ),
    pytest.param(
        {"columns": {ODD: """"x; drop table y" || '!'"""}},
        COLUMNS,
        ROWS,
        (list(COLUMNS), [(1, 10.0, "shipped", "it's!"), (2, None, None, None), (3, -1.5, 'say "hi"', "!")]),
        id="odd_column_name",
    ),
    pytest.param(
        {"columns": {'new "col"; --': "'it''s'"}},
        {"id": "INTEGER"},
        [(1,), (None,)],
        (["id", 'new "col"; --'], [(1, "it's"), (None, "it's")]),
        id="odd_new_name_and_quoted_literal",
    ),
    pytest.param(
        {"columns": {"amount": "amount + 1", "old_amount": "amount"}},
        {"amount": "DOUBLE"},
        [(10.0,), (None,)],
        (["amount", "old_amount"], [(11.0, 10.0), (None, None)]),
        id="expressions_see_upstream_values",
    ),
    pytest.param(
        {"columns": {"STATUS": "lower(status)"}},
        {"id": "INTEGER", "status": "VARCHAR"},
        [(1, "A")],
        (["id", "STATUS"], [(1, "a")]),
        id="names_match_case_insensitively",
    ),
    pytest.param(
        {"columns": {"plus_id": "list_transform([1, 2], x -> x + id)"}},
        {"id": "INTEGER"},
        [(1,), (None,)],
        (["id", "plus_id"], [(1, [2, 3]), (None, [None, None])]),
        id="lambda_parameters_are_not_columns",
    ),
    pytest.param(
        {"columns": {"amount_x2": "amount * 2"}}, COLUMNS, [], ([*COLUMNS, "amount_x2"], []), id="empty_input"
    ),
]


@pytest.mark.parametrize(("params", "columns", "rows", "expected"), CASES)
def test_derive_columns_rows(params, columns, rows, expected):
    names, out = run_transform(DeriveColumnsTransform.model_validate(params), columns, rows)
    assert (names, sorted(out, key=repr)) == (expected[0], sorted(expected[1], key=repr))


def test_derive_columns_spark_sql():
    transform = DeriveColumnsTransform.model_validate(
        {"columns": {"status": "upper(status)", "amount_x2": "amount * 2"}}
    )
    sql = compile_transform(transform, COLUMNS, ROWS).sql(dialect="spark")
    assert sql.endswith(
        "SELECT `id`, `amount`, UPPER(status) AS `status`, `x; drop table y`, amount * 2 AS `amount_x2` FROM `src`"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": {}}, "at least one column", id="no_columns"),
        pytest.param({"columns": {"a": "  "}}, 'expression of column "a" is empty', id="empty_expression"),
        pytest.param({"columns": {"a": "1", "A": "2"}}, "must be unique", id="duplicate_names"),
        pytest.param({"column": {"a": "1"}}, "Extra inputs are not permitted", id="unknown_key"),
    ],
)
def test_derive_columns_invalid_params(params, message):
    with pytest.raises(ValidationError, match=message):
        DeriveColumnsTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param({"columns": {"x": "amout * 2"}}, 'Did you mean "amount"', id="unknown_column"),
        pytest.param({"columns": {"a": "1", "b": "a + 1"}}, "derived in the same step", id="same_step"),
        pytest.param({"columns": {"x": "amount +"}}, "not valid SQL", id="bad_sql"),
    ],
)
def test_derive_columns_invalid_for_upstream(params, message):
    with pytest.raises(TransformError, match=message):
        run_transform(DeriveColumnsTransform.model_validate(params), COLUMNS, ROWS)
