"""The Python API: the CLI's stages as functions with typed results, for orchestrators (Airflow,
Dagster, Prefect) and notebooks. Nothing is printed; problems raise the errors the CLI reports
(``ProjectError`` for invalid input, ``TargetError`` when the target cannot be opened).

    from odibi_sql import api

    project = api.load("path/to/project", env="prod")
    result = api.build(project, select=["orders+"])
    if not result.success:
        for node in result.failed:
            print(node.node, node.message)

See docs/api.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from odibi_sql.artifacts.write import compile_to_target
from odibi_sql.compile.compiler import CompiledProject
from odibi_sql.compile.workspace import Selection, compile_selected, defer_state, open_project, selected_nodes
from odibi_sql.diagnostics import Diagnostic, OdibiError, ProjectError, TargetError
from odibi_sql.execute.results import NodeResult, RunResults, Status
from odibi_sql.execute.runner import NullReporter, RunOptions
from odibi_sql.execute.workflow import compile_for_run, execute, test_nodes
from odibi_sql.lineage.build import build_lineage, tracing
from odibi_sql.lineage.graph import ProjectLineage
from odibi_sql.lint import lint_project
from odibi_sql.lint.engine import LintReport
from odibi_sql.project.loader import Project
from odibi_sql.testing.results import DataTestResult

__all__ = [
    "CompileResult",
    "CompiledModel",
    "Diagnostic",
    "OdibiError",
    "Project",
    "ProjectError",
    "RunResult",
    "TargetError",
    "TestResult",
    "build",
    "compile",
    "lineage",
    "lint",
    "load",
    "ls",
    "run",
    "test",
]


def load(
    project_dir: str | Path = ".",
    env: str | None = None,
    target: str | None = None,
    vars: dict[str, Any] | None = None,
) -> Project:
    """Load and validate a project (``--env``, ``--target``, ``--vars`` as on the command line)."""
    return open_project(Path(project_dir), env=env, cli_vars=vars, target=target)


def ls(
    project: Project, select: Sequence[str] | None = None, exclude: Sequence[str] | None = None
) -> list[str]:
    """The selected node names, in DAG order (dbt's selector grammar)."""
    return selected_nodes(project, Selection(select, exclude))[1]


@dataclass(frozen=True)
class CompiledModel:
    name: str
    relation: str
    materialized: str
    columns: dict[str, str | None]
    sql: dict[str, str]
    """The compiled SQL per dialect."""


@dataclass(frozen=True)
class CompileResult:
    selected: list[str]
    nodes: dict[str, CompiledModel]
    """The selected nodes (and what they read)."""
    manifest: Path
    """``target/manifest.json``, which describes the whole project."""


def compile(
    project: Project,
    select: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    dialects: Sequence[str] | None = None,
    state: str | Path | None = None,
    defer: bool = False,
) -> CompileResult:
    """Compile and write ``target/compiled/`` and ``target/manifest.json``, as ``odibi-sql compile``."""
    selection = Selection(select, exclude, Path(state) if state else None, defer)
    graph, names = selected_nodes(project, selection)
    compiled, manifest = compile_to_target(
        project,
        tuple(dialects or (project.target.dialect,)),
        graph,
        only=names,
        files_for=names,
        defer=defer_state(project, selection),
    )
    return CompileResult(names, _models(compiled), manifest)


@dataclass(frozen=True)
class RunResult:
    results: RunResults
    """What ``target/run_results.json`` holds (docs/schema/run_results.schema.json)."""
    exit_code: int
    """What the CLI would exit with: 0, 1 (a node or test failed), 128 + signal when stopped."""
    seconds: float

    @property
    def success(self) -> bool:
        return self.exit_code == 0

    @property
    def failed(self) -> list[NodeResult]:
        return [r for r in self.results.results if r.status is Status.ERROR]

    @property
    def failed_tests(self) -> list[DataTestResult]:
        return [t for t in self.results.tests if t.fails_the_run]


def run(
    project: Project,
    select: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    full_refresh: bool = False,
    threads: int | None = None,
    fail_fast: bool = False,
    state: str | Path | None = None,
    defer: bool = False,
    on_node: Callable[[NodeResult], None] | None = None,
) -> RunResult:
    """Build the selected nodes, as ``odibi-sql run``; ``on_node`` sees each result as it lands."""
    return _execute(project, "run", select, exclude, full_refresh, threads, fail_fast, state, defer, on_node)


def build(
    project: Project,
    select: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    full_refresh: bool = False,
    threads: int | None = None,
    fail_fast: bool = False,
    state: str | Path | None = None,
    defer: bool = False,
    on_node: Callable[[NodeResult], None] | None = None,
) -> RunResult:
    """Seed, run and test the selected nodes, as ``odibi-sql build``."""
    return _execute(
        project, "build", select, exclude, full_refresh, threads, fail_fast, state, defer, on_node
    )


@dataclass(frozen=True)
class TestResult:
    tests: list[DataTestResult] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not any(t.fails_the_run for t in self.tests)


def test(
    project: Project, select: Sequence[str] | None = None, exclude: Sequence[str] | None = None
) -> TestResult:
    """Run the selected nodes' data tests on the built target, as ``odibi-sql test``."""
    compiled, names = compile_for_run(project, Selection(select, exclude))
    results, _ = test_nodes(project, compiled, names, _Quiet(None))
    return TestResult(results)


def lineage(project: Project, select: Sequence[str] | None = None) -> ProjectLineage:
    """Column-level lineage of the selected nodes (``odibi-sql lineage``; docs/lineage.md)."""
    compiled, names = compile_selected(project, (), Selection(select), derive=tracing(project))
    return build_lineage(compiled, names)


def lint(
    project: Project,
    select: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    dialects: Sequence[str] | None = None,
) -> LintReport:
    """Lint the selected nodes (``odibi-sql lint``; docs/lint.md); ``exit_code`` as the CLI's."""
    return lint_project(project, select, exclude, tuple(dialects or (project.target.dialect,)))


def _execute(
    project: Project,
    command: str,
    select: Sequence[str] | None,
    exclude: Sequence[str] | None,
    full_refresh: bool,
    threads: int | None,
    fail_fast: bool,
    state: str | Path | None,
    defer: bool,
    on_node: Callable[[NodeResult], None] | None,
) -> RunResult:
    selection = Selection(select, exclude, Path(state) if state else None, defer)
    compiled, names = compile_for_run(project, selection)
    options = RunOptions.for_target(project.target, threads, full_refresh)
    outcome = execute(
        project,
        compiled,
        names,
        options,
        _Quiet(on_node),
        command,
        run_tests=command == "build",
        fail_fast=fail_fast,
    )
    return RunResult(outcome.results, outcome.exit_code, outcome.seconds)


class _Quiet(NullReporter):
    """Prints nothing; hands each node's result to the caller's callback."""

    def __init__(self, on_node: Callable[[NodeResult], None] | None):
        self._on_node = on_node

    def node_finished(self, index: int, total: int, result: NodeResult) -> None:
        if self._on_node is not None:
            self._on_node(result)

    def test_finished(self, index: int, total: int, result: DataTestResult) -> None:
        pass


def _models(compiled: CompiledProject) -> dict[str, CompiledModel]:
    return {
        name: CompiledModel(
            name=name,
            relation=".".join(node.relation),
            materialized=node.materialized.value,
            columns=dict(node.columns),
            sql=dict(node.sql),
        )
        for name, node in compiled.nodes.items()
    }
