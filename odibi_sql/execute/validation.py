"""Everything a run checks before it starts, in one place: write settings (``plan``) and data tests
(``testing``) of the compiled nodes. ``compile``, ``lint``, ``run``, ``build``, ``test`` and ``seed``
all call it, so what a run would refuse is refused, with its file and line, by the commands CI
gates on."""

from __future__ import annotations

from collections.abc import Iterable

from odibi_sql.compile.compiler import CompiledProject
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.plan.planner import validate_writes
from odibi_sql.project.loader import Project
from odibi_sql.testing.compile import DataTest, compile_tests, relationship_targets


def validate_for_run(compiled: CompiledProject, names: Iterable[str]) -> dict[str, list[DataTest]]:
    """The compiled data tests of ``names``; raises one ``ProjectError`` with every problem."""
    names = [n for n in names if n in compiled.nodes]
    problems: list[Diagnostic] = []
    tests: dict[str, list[DataTest]] = {}
    try:
        validate_writes(compiled.nodes[n] for n in names)
    except ProjectError as exc:
        problems.extend(exc.diagnostics)
    try:
        tests = compile_tests(compiled, names)
    except ProjectError as exc:
        problems.extend(exc.diagnostics)
    if problems:
        raise ProjectError(problems)
    return tests


def run_problems(compiled: CompiledProject, names: Iterable[str]) -> list[Diagnostic]:
    """``validate_for_run``'s problems as a list (for ``lint``, which reports them as findings)."""
    try:
        validate_for_run(compiled, names)
    except ProjectError as exc:
        return exc.diagnostics
    return []


def nodes_to_compile(project: Project, names: Iterable[str]) -> list[str]:
    """``names`` and the nodes their relationships tests read (whose columns the tests need)."""
    names = list(names)
    return [*names, *(n for n in relationship_targets(project, names) if n not in names)]
