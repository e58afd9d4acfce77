"""Parsing `tests:` entries: every accepted shape, and the message for each mistake."""

from __future__ import annotations

import pytest

from odibi_sql.testing.masking import mask_message
from odibi_sql.testing.spec import InvalidTestSpec, parse_test


@pytest.mark.parametrize(
    ("raw", "on_column", "expected"),
    [
        ("not_null", True, {"test": "not_null", "severity": "error"}),
        ({"unique": {"where": "id > 0"}}, True, {"test": "unique", "where": "id > 0"}),
        ({"accepted_values": ["a", 1]}, True, {"test": "accepted_values", "values": ["a", 1]}),
        (
            {"accepted_values": {"values": ["a"], "severity": "warn"}},
            True,
            {"values": ["a"], "severity": "warn"},
        ),
        ({"accepted_values": ["a"], "severity": "warn"}, True, {"values": ["a"], "severity": "warn"}),
        ({"relationships": {"to": "c", "field": "id"}}, True, {"to": "c", "field": "id"}),
        ({"expression": "x > 0", "quarantine": True}, False, {"expression": "x > 0", "quarantine": True}),
        ({"unique": ["a", "b"]}, False, {"test": "unique", "columns": ["a", "b"]}),
        ({"unique": "a"}, False, {"columns": ["a"]}),
    ],
)
def test_parse_test_accepts(raw, on_column, expected):
    spec = parse_test(raw, on_column=on_column).model_dump(mode="json")
    assert {k: spec[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("raw", "on_column", "message"),
    [
        ("uniqe", True, "unknown test 'uniqe'. Did you mean \"unique\"?"),
        ({"acepted_values": ["a"]}, True, 'Did you mean "accepted_values"?'),
        ({"not_null": None, "unique": None}, True, "one test per entry"),
        ({"relationships": {"to": "c"}}, True, "relationships: 'field' is required"),
        ({"accepted_values": []}, True, "values: List should have at least 1 item"),
        ({"not_null": {"severity": "fatal"}}, True, "severity: Input should be 'error' or 'warn'"),
        ({"not_null": {"colour": "red"}}, True, "unknown setting 'colour'"),
        ("not_null", False, "not_null tests a column"),
        ("unique", False, "unique on a node needs the columns"),
        ({"unique": ["a"]}, True, "unique on a column takes no columns"),
        ({"not_null": "x"}, True, "not_null takes settings as a mapping"),
    ],
)
def test_parse_test_rejects(raw, on_column, message):
    with pytest.raises(InvalidTestSpec) as exc:
        parse_test(raw, on_column=on_column)
    assert message in exc.value.message


def test_mask_message_masks_data_errors_only():
    data = "Conversion Error: Could not convert string 'ann@x.com' to INT32"
    assert mask_message(data) == "Conversion Error: Could not convert string *** to INT32"
    catalog = 'Catalog Error: Table with name "orders" does not exist!'
    assert mask_message(catalog) == catalog
    csv = "Invalid Input Error: CSV Error on Line: 3\nOriginal Line: 7,ann@x.com\nmore"
    assert "ann@x.com" not in mask_message(csv) and "Original Line: ***" in mask_message(csv)
