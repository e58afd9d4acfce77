"""Engines: primitives only (connect, execute an AST, observe a relation, transactions).

Adapters register by dialect name and load lazily, so pyspark is imported only by the Spark one.
"""

from __future__ import annotations

import importlib
import time

from odibi_sql.adapters.base import Adapter, EngineError
from odibi_sql.diagnostics import TargetError
from odibi_sql.project.loader import Project

_ADAPTERS = {
    "duckdb": "odibi_sql.adapters.duckdb:DuckDBAdapter",
    "spark": "odibi_sql.adapters.spark:SparkAdapter",
}


def open_adapter(project: Project, read_only: bool = False) -> Adapter:
    """The adapter for the project's selected target (``read_only`` to observe without changing).

    A transient failure (a database file another process holds locked) is retried as the target's
    ``retry:`` says, then reported once.
    """
    module, _, cls = _ADAPTERS[project.target.dialect].partition(":")
    adapter = getattr(importlib.import_module(module), cls)
    retry = project.target.retry
    attempt = 0
    while True:
        attempt += 1
        try:
            return adapter(project, read_only=read_only)
        except EngineError as exc:
            if exc.transient and attempt <= retry.max_retries:
                time.sleep(retry.backoff_seconds * 2 ** (attempt - 1))
                continue
            hint = (
                "another odibi-sql (or DuckDB) process may hold it; retry when it is done (tried "
                f"{attempt} times, retry.max_retries of the target is {retry.max_retries})"
                if exc.transient
                else None
            )
            raise TargetError(f"{project.target_name} ({project.target.dialect})", str(exc), hint) from None
