from datetime import date

import pytest
from pydantic import ValidationError

from odibi_sql.transforms.base import TransformError
from odibi_sql.transforms.scd2 import Scd2Transform
from tests.unit.transforms.relational_harness import Case, assert_case, compile_step, run_case

D1, D2, D3, D4, D5 = (date(2024, 1, d) for d in range(1, 6))
COLUMNS = {"id": "INTEGER", "city": "VARCHAR", "segment": "VARCHAR", "updated_at": "DATE"}
ROWS = [
    (1, "Paris", "A", D1),
    (1, "Paris", "A", D2),  # unchanged: collapses into the first version
    (1, "Lyon", "A", D3),
    (1, "Paris", "A", D4),  # back to an earlier value: a new version
    (1, "Paris", "A", D5),
    (2, "Rome", None, D1),
    (2, "Rome", None, D2),  # NULL -> NULL is no change
    (2, "Rome", "B", D3),  # NULL -> 'B' is a change
    (3, "Oslo", "C", None),  # no effective time: ignored
    (3, "Oslo", "C", D2),
]
HISTORY = [*COLUMNS, "valid_from", "valid_to", "is_current"]
HOSTILE = 'x; drop table "y"'


def case(name, params, expected_columns, expected_rows, rows=ROWS, columns=COLUMNS):
    return Case(name, params, columns, rows, expected_columns, expected_rows)


CASES = [
    case(
        "collapses_unchanged_rows_and_reopens_returning_values",
        {"keys": ["id"], "effective_column": "updated_at"},
        HISTORY,
        [
            (1, "Paris", "A", D1, D1, D3, False),
            (1, "Lyon", "A", D3, D3, D4, False),
            (1, "Paris", "A", D4, D4, None, True),
            (2, "Rome", None, D1, D1, D3, False),
            (2, "Rome", "B", D3, D3, None, True),
            (3, "Oslo", "C", D2, D2, None, True),
        ],
    ),
    case(
        "only_tracked_columns_start_versions",
        {
            "keys": ["id"],
            "effective_column": "updated_at",
            "tracked_columns": ["city"],
            "valid_from": "start",
            "valid_to": "end",
            "is_current": "current",
        },
        [*COLUMNS, "start", "end", "current"],
        [
            (1, "Paris", "A", D1, D1, D3, False),
            (1, "Lyon", "A", D3, D3, D4, False),
            (1, "Paris", "A", D4, D4, None, True),
            (2, "Rome", None, D1, D1, None, True),
            (3, "Oslo", "C", D2, D2, None, True),
        ],
    ),
    case(
        "composite_keys",
        {"keys": ["id", "segment"], "effective_column": "updated_at"},
        HISTORY,
        [
            (1, "Paris", "A", D1, D1, D3, False),
            (1, "Lyon", "A", D3, D3, D4, False),
            (1, "Paris", "A", D4, D4, None, True),
            (2, "Rome", None, D1, D1, None, True),
            (2, "Rome", "B", D3, D3, None, True),
            (3, "Oslo", "C", D2, D2, None, True),
        ],
    ),
    case(
        "same_time_ties_are_deterministic",
        {"keys": ["id"], "effective_column": "updated_at"},
        HISTORY,
        [(1, "Lyon", "A", D1, D1, D1, False), (1, "Paris", "A", D1, D1, None, True)],
        rows=[(1, "Paris", "A", D1), (1, "Lyon", "A", D1)],
    ),
    case("empty_input", {"keys": ["id"], "effective_column": "updated_at"}, HISTORY, [], rows=[]),
    case(
        "hostile_names_and_values",
        {"keys": [HOSTILE], "effective_column": "it's"},
        [HOSTILE, "v", "it's", "valid_from", "valid_to", "is_current"],
        [("'; --", '"', 1, 1, 3, False), ("'; --", "it's", 3, 3, None, True)],
        rows=[("'; --", '"', 1), ("'; --", '"', 2), ("'; --", "it's", 3)],
        columns={HOSTILE: "VARCHAR", "v": "VARCHAR", "it's": "INTEGER"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scd2_rows(case):
    assert_case(Scd2Transform, case)


def test_scd2_spark_golden():
    c = case("g", {"keys": ["id"], "effective_column": "updated_at", "tracked_columns": ["city"]}, [], [])
    window = "OVER (PARTITION BY `id` ORDER BY `updated_at` NULLS LAST, `city` NULLS LAST)"
    assert compile_step(Scd2Transform, c, "spark") == (
        "SELECT `id`, `city`, `segment`, `updated_at`, `updated_at` AS `valid_from`, "
        f"LEAD(`updated_at`) {window} AS `valid_to`, LEAD(`updated_at`) {window} IS NULL AS `is_current` "
        f"FROM (SELECT *, CASE WHEN ROW_NUMBER() {window} = 1 THEN TRUE "
        f"ELSE LAG(`city`) {window} IS DISTINCT FROM `city` END AS `__changed` "
        "FROM `src` WHERE NOT `updated_at` IS NULL) AS `__changes` WHERE `__changed`"
    )


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"keys": [], "effective_column": "updated_at"}, "at least 1"),
        ({"keys": ["id"]}, "effective_column"),
        ({"keys": ["id", "id"], "effective_column": "updated_at"}, "twice"),
        ({"keys": ["updated_at"], "effective_column": "updated_at"}, "both a key and the effective_column"),
        ({"keys": ["id"], "effective_column": "updated_at", "tracked_columns": ["id"]}, "cannot be tracked"),
        ({"keys": ["id"], "effective_column": "updated_at", "valid_to": "VALID_FROM"}, "three different"),
        ({"keys": ["id"], "effective_column": "updated_at", "current": "c"}, "current"),
    ],
)
def test_scd2_invalid_params(params, fragment):
    with pytest.raises(ValidationError, match=fragment):
        Scd2Transform.model_validate(params)


@pytest.mark.parametrize(
    ("params", "columns", "fragment"),
    [
        ({"keys": ["ids"], "effective_column": "updated_at"}, COLUMNS, 'Did you mean "id"'),
        ({"keys": ["id"], "effective_column": "updated"}, COLUMNS, 'Did you mean "updated_at"'),
        (
            {"keys": ["id"], "effective_column": "updated_at", "tracked_columns": ["cty"]},
            COLUMNS,
            'Did you mean "city"',
        ),
        (
            {"keys": ["id"], "effective_column": "updated_at"},
            {**COLUMNS, "Is_Current": "BOOLEAN"},
            'output column "is_current" already exists',
        ),
    ],
)
def test_scd2_unknown_column(params, columns, fragment):
    with pytest.raises(TransformError, match=fragment):
        run_case(Scd2Transform, case("bad", params, [], [], rows=[], columns=columns))
