"""Engines: primitives only (connect, execute an AST, observe a relation, transactions).

Adapters register by dialect name and load lazily, so pyspark is imported only by the Spark one.
"""

from __future__ import annotations

import importlib

from odibi_sql.adapters.base import Adapter
from odibi_sql.project.loader import Project

_ADAPTERS = {
    "duckdb": "odibi_sql.adapters.duckdb:DuckDBAdapter",
    "spark": "odibi_sql.adapters.spark:SparkAdapter",
}


def open_adapter(project: Project, read_only: bool = False) -> Adapter:
    """The adapter for the project's selected target (``read_only`` to observe without changing)."""
    module, _, cls = _ADAPTERS[project.target.dialect].partition(":")
    return getattr(importlib.import_module(module), cls)(project, read_only=read_only)
