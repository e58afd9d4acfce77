"""``sensitive: true`` columns: which columns to mask, and masking values in what users read.

A column is sensitive when it, or a column of the same name in any upstream node, is declared
``sensitive: true`` (matched case-insensitively; over-masking is the safe side).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from odibi_sql.compile.compiler import CompiledProject

MASK = "***"
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")
_CSV_LINE = re.compile(r"(Original Line:).*", re.IGNORECASE)
# engine errors that quote the data they failed on (the others quote only SQL text)
_DATA_ERRORS = ("Conversion Error", "Invalid Input Error", "Constraint Error", "Out of Range Error")


def sensitive_columns(compiled: CompiledProject, name: str) -> frozenset[str]:
    """Lower-cased names of the columns of ``name`` whose values must never be shown."""
    nodes = compiled.project.nodes
    names = {name} | compiled.dag.ancestors(name)
    return frozenset(
        column.lower()
        for n in names
        if n in nodes
        for column, spec in nodes[n].spec.columns.items()
        if spec.sensitive
    )


def format_row(columns: Sequence[str], row: Iterable[object], sensitive: frozenset[str]) -> str:
    """``a=1, email=***``: one sampled row with sensitive values masked."""
    return ", ".join(
        f"{c}={MASK if c.lower() in sensitive else repr(v)}" for c, v in zip(columns, row, strict=False)
    )


def format_values(columns: Sequence[str], row: Iterable[object], sensitive: frozenset[str]) -> str:
    """``1, 2``: one sampled row's values, sensitive ones masked."""
    return ", ".join(MASK if c.lower() in sensitive else repr(v) for c, v in zip(columns, row, strict=False))


def mask_message(text: str) -> str:
    """An engine error with echoed CSV lines masked, and quoted literals too when it is a data error."""
    text = _CSV_LINE.sub(rf"\1 {MASK}", text)
    return _QUOTED.sub(MASK, text) if any(kind in text for kind in _DATA_ERRORS) else text
