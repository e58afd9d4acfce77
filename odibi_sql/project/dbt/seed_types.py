"""Seed column types as dbt infers them (agate on dbt-duckdb), so seeds load with dbt's types.

dbt tries, per column, number, date (``%Y-%m-%d``), datetime (every value ``%Y-%m-%d %H:%M:%S``,
or every value ISO 8601 with a ``T``), boolean (``true``/``false``) and text, keeping the first
type every value parses as; empty values are NULL. Numbers with significant decimals are DOUBLE, others INTEGER. Values dbt would read
as numbers but DuckDB would not (``1,000``, ``$5``) are reported: declare ``column_types``.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

_NULLS = ("", "null")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)$")
_NUMBERISH = re.compile(r"^[+-]?[$€£¥]?[\d,]*\.?\d+%?$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_BOOLEANS = ("true", "false")


class SeedTypeError(ValueError):
    def __init__(self, column: str, value: str):
        self.column, self.value = column, value
        super().__init__(f"column '{column}': dbt reads '{value}' as a number, DuckDB does not")


def infer_seed_types(path: Path, delimiter: str = ",") -> dict[str, str]:
    """Column -> DuckDB type, in file order."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, [])
        values: list[list[str]] = [[] for _ in header]
        for row in reader:
            for i, value in enumerate(row[: len(header)]):
                stripped = value.strip()
                if stripped.lower() not in _NULLS:
                    values[i].append(stripped)
    return {
        column: _column_type(column, column_values)
        for column, column_values in zip(header, values, strict=True)
    }


def _column_type(column: str, values: list[str]) -> str:
    if all(_DECIMAL.match(v) for v in values):
        return "DOUBLE" if any(_has_decimals(v) for v in values) else "INTEGER"
    if all(_NUMBERISH.match(v) for v in values):
        raise SeedTypeError(column, next(v for v in values if not _DECIMAL.match(v)))
    if all(_parses(v, "%Y-%m-%d") for v in values):
        return "DATE"
    if all(_parses(v, "%Y-%m-%d %H:%M:%S") for v in values) or all(_ISO.match(v) for v in values):
        return "TIMESTAMP"
    if all(v.lower() in _BOOLEANS for v in values):
        return "BOOLEAN"
    return "VARCHAR"


def _has_decimals(value: str) -> bool:
    """agate's MaxPrecision: significant digits after the point (``1.50`` has one, ``1.0`` none)."""
    return Decimal(value).normalize().as_tuple().exponent < 0  # type: ignore[operator]


def _parses(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True
