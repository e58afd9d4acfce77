"""``odibi-sql run``."""

from __future__ import annotations

from typing import Annotated

import typer

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console, print_warnings
from odibi_sql.cli.reporter import ConsoleReporter, finish, print_summary
from odibi_sql.compile.workspace import Selection
from odibi_sql.execute.runner import RunOptions
from odibi_sql.execute.workflow import compile_for_run, execute

FullRefresh = Annotated[
    bool, typer.Option("--full-refresh", help="Rebuild incremental nodes from their first-run query.")
]
Threads = Annotated[
    int | None, typer.Option("--threads", min=1, help="Nodes run at once (default: the target's).")
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Print the plan and the reason for each node; change nothing.")
]
Resume = Annotated[
    bool,
    typer.Option(
        "--resume", help="Run only what the last run did not complete (failed, skipped, or stopped before)."
    ),
]


def run_command(
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
    dry_run: DryRun = False,
    resume: Resume = False,
) -> int:
    """Build the selected nodes in the target, in DAG order."""
    project = load(project_dir, env, vars, target)
    compiled, names = compile_for_run(project, Selection(select, exclude, state, defer), resume=resume)
    print_warnings(compiled.diagnostics)
    run_options = RunOptions.for_target(project.target, threads, full_refresh)
    if dry_run:
        from odibi_sql.cli.plan_view import print_plans  # rich.syntax: only for --dry-run

        print_plans(project, compiled, names, run_options)
        return 0
    if not names:
        console.print("[yellow]nothing to run[/]: no node matches the selection")
        return 0
    outcome = execute(project, compiled, names, run_options, ConsoleReporter(), "run", fail_fast=fail_fast)
    print_summary(outcome.results.results)
    return finish(outcome)
