"""Exclusive stage timers for an in-process ``odibi-sql run`` (a stage's time excludes the stages
timed inside it), installed by wrapping the functions each stage calls."""

from __future__ import annotations

import functools
import importlib
import time
from collections import defaultdict

# stage -> (module, attribute path) of the functions whose time is the stage's
STAGES: dict[str, list[tuple[str, str]]] = {
    "load project": [("odibi_sql.cli.commands.run", "load")],
    "compile (lineage traced, SQL files staged)": [("odibi_sql.artifacts.write", "compile_project")],
    "manifest": [
        ("odibi_sql.artifacts.write", "build_manifest"),
        ("odibi_sql.artifacts.write", "write_manifest"),
    ],
    "open/close adapter": [
        ("odibi_sql.execute.workflow", "open_adapter"),
        ("odibi_sql.adapters.duckdb", "DuckDBAdapter.close"),
    ],
    "target state": [("odibi_sql.adapters.duckdb", "DuckDBSession.states")],
    "plan": [("odibi_sql.execute.runner", "plan_node")],
    "render SQL": [("odibi_sql.adapters.duckdb", "DuckDBSession.render")],
    "engine: statements": [("odibi_sql.adapters.duckdb", "DuckDBSession.execute")],
    "engine: row counts, watermarks": [("odibi_sql.adapters.duckdb", "DuckDBSession.query")],
    "engine: begin/commit": [
        ("odibi_sql.adapters.duckdb", "DuckDBSession.begin"),
        ("odibi_sql.adapters.duckdb", "DuckDBSession.commit"),
    ],
    "console output": [
        ("odibi_sql.cli.commands.run", "ConsoleReporter.node_finished"),
        ("odibi_sql.cli.commands.run", "print_summary"),
    ],
    "run results + history": [("odibi_sql.execute.workflow", "write_run_results")],
}


class StageTimer:
    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self._stack: list[float] = []  # time spent in nested stages, per open stage

    def instrument(self) -> None:
        for stage, targets in STAGES.items():
            for module, path in targets:
                owner = importlib.import_module(module)
                *parents, attribute = path.split(".")
                for parent in parents:
                    owner = getattr(owner, parent)
                setattr(owner, attribute, self._wrap(stage, getattr(owner, attribute)))

    def _wrap(self, stage: str, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            self._stack.append(0.0)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                nested = self._stack.pop()
                self.totals[stage] += elapsed - nested
                if self._stack:
                    self._stack[-1] += elapsed

        return timed
