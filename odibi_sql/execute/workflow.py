"""The run workflow every executing command shares: compile the selection, open the target,
run the nodes, write the artifacts."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from odibi_sql.adapters import open_adapter
from odibi_sql.adapters.base import Session
from odibi_sql.artifacts.manifest import build_manifest, write_compiled, write_manifest
from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.compile.workspace import Selection, compile_selected
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.execute.results import NodeResult, RunResults, Status, now, read_run_results, write_run_results
from odibi_sql.execute.runner import RunOptions, RunReporter, run_nodes
from odibi_sql.plan.planner import validate_writes
from odibi_sql.project.loader import Project


@dataclass
class RunOutcome:
    compiled: CompiledProject
    results: RunResults
    seconds: float


def compile_for_run(
    project: Project, selection: Selection, resume: bool = False
) -> tuple[CompiledProject, list[str]]:
    """Compile the selection for the target's dialect and write the compile artifacts."""
    compiled, names = compile_selected(project, (project.target.dialect,), selection)
    if resume:
        names = _resume_names(project, names)
    validate_writes(compiled.nodes[n] for n in names)
    target_dir = project.root / "target"
    write_manifest(build_manifest(compiled, write_compiled(compiled, target_dir, names)), target_dir)
    return compiled, names


def _resume_names(project: Project, names: list[str]) -> list[str]:
    previous = read_run_results(project.root / "target")
    if previous is None:
        raise ProjectError(
            [
                Diagnostic(
                    "--resume: there is no target/run_results.json to resume from",
                    hint="run without --resume first",
                )
            ]
        )
    retry = {r.node for r in previous.results if r.status is not Status.SUCCESS}
    return [n for n in names if n in retry]


def execute(
    project: Project,
    compiled: CompiledProject,
    names: list[str],
    options: RunOptions,
    reporter: RunReporter,
    command: str,
    hook: Callable[[CompiledNode, Session], NodeResult | None] | None = None,
) -> RunOutcome:
    started, clock = now(), time.perf_counter()
    adapter = open_adapter(project)
    try:
        results = run_nodes(compiled, names, adapter, options, reporter, hook)
    finally:
        adapter.close()
    run = RunResults(
        command=command,
        started_at=started,
        finished_at=now(),
        target=project.target_name,
        selected=names,
        results=results,
    )
    write_run_results(run, project.root / "target")
    return RunOutcome(compiled, run, time.perf_counter() - clock)
