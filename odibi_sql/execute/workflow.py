"""The run workflow every executing command shares: compile the selection, open the target,
run the nodes, write the artifacts."""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from odibi_sql.adapters import open_adapter
from odibi_sql.adapters.base import Session
from odibi_sql.artifacts.write import compile_to_target
from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.compile.workspace import Selection, defer_state, selected_nodes
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.execute.checks import NodeChecks
from odibi_sql.execute.interrupt import Stop
from odibi_sql.execute.journal import RunJournal, read_journal
from odibi_sql.execute.results import (
    NodeResult,
    RunResults,
    Status,
    now,
    read_run_results,
    update_latest,
    write_run_results,
)
from odibi_sql.execute.runner import RunOptions, RunReporter, run_nodes
from odibi_sql.execute.validation import nodes_to_compile, validate_for_run
from odibi_sql.project.loader import Project
from odibi_sql.project.node_spec import Materialized
from odibi_sql.testing.compile import DataTest, compile_tests
from odibi_sql.testing.masking import sensitive_columns
from odibi_sql.testing.results import DataTestResult
from odibi_sql.testing.run import run_test


@dataclass
class RunOutcome:
    compiled: CompiledProject
    results: RunResults
    seconds: float

    @property
    def exit_code(self) -> int:
        """128 + the signal that stopped the run (130 SIGINT, 143 SIGTERM), else 1 if it failed, else 0."""
        if self.results.stopped_by:
            return 128 + signal.Signals[self.results.stopped_by].value
        return 1 if self.results.failed else 0


def compile_for_run(
    project: Project, selection: Selection, resume: bool = False
) -> tuple[CompiledProject, list[str]]:
    """Compile the selection (and the nodes its relationships tests read) for the target's dialect,
    validate write settings and data tests, and write the compile artifacts."""
    graph, names = selected_nodes(project, selection)
    wanted = nodes_to_compile(project, names)
    if resume:
        names = _resume_names(project, names)

    def check(compiled: CompiledProject) -> None:
        validate_for_run(compiled, names)

    compiled, _ = compile_to_target(
        project,
        (project.target.dialect,),
        graph,
        only=wanted,
        files_for=names,
        check=check,
        defer=defer_state(project, selection),
    )
    return compiled, names


def _resume_names(project: Project, names: list[str]) -> list[str]:
    """The selected nodes the last run did not complete: from its journal, which is written as the
    run goes (so it knows what a killed run did), else from ``run_results.json``."""
    target_dir = project.root / "target"
    journal = read_journal(target_dir)
    if journal is not None:
        retry = journal.unfinished
    elif (previous := read_run_results(target_dir)) is not None:
        retry = {r.node for r in previous.results if r.status is not Status.SUCCESS}
    else:
        raise ProjectError(
            [
                Diagnostic(
                    "--resume: there is no earlier run in target/ to resume from",
                    hint="run without --resume first",
                )
            ]
        )
    return [n for n in names if n in retry]


def execute(
    project: Project,
    compiled: CompiledProject,
    names: list[str],
    options: RunOptions,
    reporter: RunReporter,
    command: str,
    hook: Callable[[CompiledNode, Session], NodeResult | None] | None = None,
    run_tests: bool = False,
    fail_fast: bool = False,
) -> RunOutcome:
    """Run ``names``; quarantine tests always apply, and ``run_tests`` runs every test right after
    its node is built (``build``). ``fail_fast``: no node starts after the first one fails."""
    started, clock = now(), time.perf_counter()
    run_id = uuid.uuid4().hex
    checks = NodeChecks(compiled, compile_tests(compiled, names), run_tests, run_id)
    runnable = [n for n in names if compiled.nodes[n].materialized is not Materialized.EPHEMERAL]
    stop = Stop()
    adapter = open_adapter(compiled.project)  # with --defer, it attaches the state's database
    try:
        journal = RunJournal(project.root / "target", command, started, runnable)
        try:
            with stop.catching():
                results = run_nodes(
                    compiled,
                    names,
                    adapter,
                    options,
                    reporter,
                    hook,
                    post_build=checks,
                    waits_for=checks.waits_for(),
                    stop=stop,
                    on_result=lambda result: _record(journal, stop, fail_fast, result),
                    quarantines=checks.quarantines(),
                )
                if checks.deferred and not stop:
                    session = adapter.session()
                    try:
                        reporter.deferred_tests_finished(checks.run_deferred(session, results))
                    finally:
                        session.close()
        finally:
            journal.close()
    finally:
        adapter.close()
    run = RunResults(
        command=command,
        started_at=started,
        finished_at=now(),
        target=project.target_name,
        selected=names,
        results=results,
        tests=[t for r in results for t in r.tests],
        stopped_by=stop.signal_name if stop.signum else None,
        run_id=run_id,
    )
    write_run_results(run, project.root / "target")
    update_latest(project.root / "target", project.target_name, started, results, run.tests)
    return RunOutcome(compiled, run, time.perf_counter() - clock)


def _record(journal: RunJournal, stop: Stop, fail_fast: bool, result: NodeResult) -> None:
    journal.record(result)
    if fail_fast and result.status is Status.ERROR:
        stop.request(f"--fail-fast (after {result.node} failed)")


class TestReporter(Protocol):
    def test_finished(self, index: int, total: int, result: DataTestResult) -> None: ...


def test_nodes(
    project: Project,
    compiled: CompiledProject,
    names: list[str],
    reporter: TestReporter,
    keep: Callable[[DataTest], bool] | None = None,
) -> tuple[list[DataTestResult], float]:
    """Run the tests of ``names`` (those ``keep`` accepts) against the built target (read-only) and
    record them in ``target/run_results.json`` next to the last run's node results."""
    clock = time.perf_counter()
    tests: list[DataTest] = [
        t
        for name, node_tests in compile_tests(compiled, names).items()
        if compiled.nodes[name].materialized is not Materialized.EPHEMERAL
        for t in node_tests
        if keep is None or keep(t)
    ]
    results: list[DataTestResult] = []
    adapter = open_adapter(project, read_only=True)
    session = adapter.session()
    try:
        for i, test in enumerate(tests, 1):
            result = run_test(test, session, sensitive_columns(compiled, test.node))
            results.append(result)
            reporter.test_finished(i, len(tests), result)
    finally:
        session.close()
        adapter.close()
    record_tests(project, names, results)
    return results, time.perf_counter() - clock


def record_tests(project: Project, names: list[str], tests: list[DataTestResult]) -> None:
    target_dir = project.root / "target"
    previous = read_run_results(target_dir)
    stamp = now()
    run = previous or RunResults(
        command="test",
        started_at=stamp,
        finished_at=stamp,
        target=project.target_name,
        selected=names,
        results=[],
    )
    run.tests, run.tests_finished_at = tests, stamp
    write_run_results(run, target_dir, history=False)
    update_latest(target_dir, project.target_name, stamp, [], tests)
