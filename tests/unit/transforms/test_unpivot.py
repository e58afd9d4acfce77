import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.unpivot import UnpivotTransform
from tests.unit.transforms.relational_harness import Case, assert_case, compile_step, run_case

COLUMNS = {"store": "INTEGER", "jan": "INTEGER", "feb": "INTEGER", "mar": "BIGINT"}
ROWS = [(1, 10, None, 30), (2, None, None, None), (3, -1, 0, 9223372036854775807)]
MONTHS = ["jan", "feb", "mar"]
HOSTILE = 'x; drop table "y"'


def case(name, params, expected_columns, expected_rows, rows=ROWS, columns=COLUMNS):
    return Case(name, params, columns, rows, expected_columns, expected_rows)


CASES = [
    case(
        "drops_null_values_by_default",
        {"id_columns": ["store"], "value_columns": MONTHS},
        ["store", "name", "value"],
        [(1, "jan", 10), (1, "mar", 30), (3, "jan", -1), (3, "feb", 0), (3, "mar", 9223372036854775807)],
    ),
    case(
        "keep_nulls",
        {"id_columns": ["store"], "value_columns": ["jan", "feb"], "keep_nulls": True},
        ["store", "name", "value"],
        [(1, "jan", 10), (1, "feb", None), (2, "jan", None), (2, "feb", None), (3, "jan", -1), (3, "feb", 0)],
    ),
    case(
        "custom_names_without_ids",
        {"value_columns": ["jan"], "name_column": "month", "value_column": "sales"},
        ["month", "sales"],
        [("jan", 10), ("jan", -1)],
    ),
    case(
        "value_type_casts_mixed_columns",
        {"id_columns": ["id"], "value_columns": ["n", "s"], "value_type": "VARCHAR"},
        ["id", "name", "value"],
        [(1, "n", "5"), (1, "s", "five")],
        rows=[(1, 5, "five")],
        columns={"id": "INTEGER", "n": "INTEGER", "s": "VARCHAR"},
    ),
    case(
        "output_may_reuse_a_value_column_name",
        {"id_columns": ["store"], "value_columns": ["jan", "feb"], "value_column": "jan"},
        ["store", "name", "jan"],
        [(1, "jan", 10), (3, "jan", -1), (3, "feb", 0)],
    ),
    case(
        "numeric_types_mix_without_value_type",
        {"value_columns": ["i", "d"]},
        ["name", "value"],
        [("i", 1.0), ("d", 2.5)],
        rows=[(1, 2.5)],
        columns={"i": "INTEGER", "d": "DOUBLE"},
    ),
    case(
        "empty_input",
        {"id_columns": ["store"], "value_columns": MONTHS},
        ["store", "name", "value"],
        [],
        rows=[],
    ),
    case(
        "hostile_names_and_values",
        {"id_columns": ["id"], "value_columns": [HOSTILE, "it's"], "name_column": 'we"ird'},
        ["id", 'we"ird', "value"],
        [(1, HOSTILE, "it's"), (1, "it's", "'; --")],
        rows=[(1, "it's", "'; --")],
        columns={"id": "INTEGER", HOSTILE: "VARCHAR", "it's": "VARCHAR"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_unpivot_rows(case):
    assert_case(UnpivotTransform, case)


def test_unpivot_spark_golden():
    c = case("g", {"id_columns": ["store"], "value_columns": ["jan", "feb"]}, [], [])
    assert compile_step(UnpivotTransform, c, "spark") == (
        "SELECT `store`, `name`, `value` FROM (SELECT `store`, `__labels`.`__name` AS `name`, "
        "CASE `__labels`.`__name` WHEN 'jan' THEN `jan` WHEN 'feb' THEN `feb` END AS `value` FROM `src` "
        "CROSS JOIN VALUES ('jan'), ('feb') AS `__labels`(`__name`)) AS `__unpivoted` "
        "WHERE NOT `value` IS NULL"
    )


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"id_columns": ["store"], "value_columns": []}, "at least 1"),
        ({"id_columns": ["store"]}, "value_columns"),
        ({"value_columns": ["jan", "jan"]}, "twice"),
        ({"id_columns": ["jan"], "value_columns": ["jan"]}, "both an id and a value column"),
        ({"id_columns": ["name"], "value_columns": ["jan"]}, "unique"),
        ({"value_columns": ["jan"], "name_column": "v", "value_column": "V"}, "unique"),
        ({"value_columns": ["jan"], "keep_null": True}, "keep_null"),
    ],
)
def test_unpivot_invalid_params(params, fragment):
    with pytest.raises(ValidationError, match=fragment):
        UnpivotTransform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "columns", "fragment"),
    [
        ({"id_columns": ["stor"], "value_columns": ["jan"]}, COLUMNS, 'Did you mean "store"'),
        ({"value_columns": ["jan", "febr"]}, COLUMNS, 'Did you mean "feb"'),
        ({"value_columns": ["n", "s"]}, {"n": "INTEGER", "s": "VARCHAR"}, "different types"),
        ({"value_columns": ["n"], "value_type": "NOT A TYPE"}, {"n": "INTEGER"}, "not a known type"),
    ],
)
def test_unpivot_unknown_column(params, columns, fragment):
    with pytest.raises(TransformError, match=fragment):
        run_case(UnpivotTransform, case("bad", params, [], [], rows=[], columns=columns))
