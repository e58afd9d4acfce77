"""Every row case of every standard transform's unit tests, compiled as the compiler would.

The unit tests (``tests/unit/transforms/test_<name>.py``) define ``CASES`` either as
``pytest.param(params, columns, rows, expected)`` (``harness.py``) or as relational ``Case``
objects (``relational_harness.py``). Both become one canonical query here: upstream rows as typed
CTEs, the transform's step on top, qualified and typed like a compiled node, so the DuckDB and the
Spark SQL are rendered from the same AST.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from sqlglot import exp

from odibi_sql.compile.qualify import qualify_query
from odibi_sql.transforms.registry import available, get_transform
from tests.unit.transforms import harness, relational_harness


@dataclass(frozen=True)
class TransformCase:
    transform: str
    name: str
    query: exp.Query

    @property
    def id(self) -> str:
        return f"{self.transform}-{self.name}"


def _query(transform_name: str, case) -> exp.Query:
    cls = get_transform(transform_name)
    assert cls is not None
    if isinstance(case, relational_harness.Case):
        transform = cls.model_validate(case.params)
        query = relational_harness.compile_query(transform, case.columns, case.rows, case.others)
    else:
        params, columns, rows, _ = case.values
        query = harness.compile_transform(cls.model_validate(params), columns, rows)
    checked = qualify_query(query, {}, "duckdb")
    assert not checked.problems, checked.problems
    return checked.query


def transform_cases() -> list[TransformCase]:
    cases = []
    for name in available():
        try:
            module = importlib.import_module(f"tests.unit.transforms.test_{name}")
        except ModuleNotFoundError:
            continue
        for i, case in enumerate(getattr(module, "CASES", [])):
            label = case.name if isinstance(case, relational_harness.Case) else (case.id or str(i))
            cases.append(TransformCase(name, label, _query(name, case)))
    return cases
