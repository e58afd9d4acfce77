"""``odibi-sql build``."""

from __future__ import annotations

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.commands.run import FullRefresh, Resume, Threads
from odibi_sql.cli.console import console, print_warnings
from odibi_sql.cli.reporter import ConsoleReporter, finish, print_summary
from odibi_sql.compile.workspace import Selection
from odibi_sql.execute.runner import RunOptions
from odibi_sql.execute.workflow import compile_for_run, execute


def build_command(
    project_dir: options.ProjectDir = None,
    select: options.Select = None,
    exclude: options.Exclude = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
    state: options.State = None,
    defer: options.Defer = False,
    full_refresh: FullRefresh = False,
    threads: Threads = None,
    fail_fast: options.FailFast = False,
    resume: Resume = False,
) -> int:
    """Seed, run and test the selected nodes in DAG order; a node's tests run right after it is built,
    and a failing error-severity test fails the node (rolled back) and skips its descendants."""
    project = load(project_dir, env, vars, target)
    compiled, names = compile_for_run(project, Selection(select, exclude, state, defer), resume=resume)
    print_warnings(compiled.diagnostics)
    if not names:
        console.print("[yellow]nothing to build[/]: no node matches the selection")
        return 0
    run_options = RunOptions.for_target(project.target, threads, full_refresh)
    outcome = execute(
        project, compiled, names, run_options, ConsoleReporter(), "build", run_tests=True, fail_fast=fail_fast
    )
    print_summary(outcome.results.results)
    return finish(outcome)
