"""Data tests and data contracts: test specs (pydantic) → failing-row queries (ASTs) → results.

In: compiled nodes with ``tests:`` on columns and nodes. Out: ``DataTest`` values (a predicate that
is true for failing rows), their execution on a session (``TestResult``), quarantine of failing
rows, and the masking of ``sensitive`` column values wherever data is shown.
"""
