"""``odibi-sql seed``."""

from __future__ import annotations

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.commands.run import FullRefresh, Threads
from odibi_sql.cli.console import console, print_warnings
from odibi_sql.cli.reporter import ConsoleReporter, finish, print_summary
from odibi_sql.compile.workspace import Selection
from odibi_sql.execute.runner import RunOptions
from odibi_sql.execute.workflow import compile_for_run, execute


def seed_command(
    project_dir: options.ProjectDir = None,
    select: options.Select = None,
    exclude: options.Exclude = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
    full_refresh: FullRefresh = False,
    threads: Threads = None,
    fail_fast: options.FailFast = False,
) -> int:
    """Load seeds/*.csv into tables; rows that fail to parse go to <schema>.<seed>__rejected."""
    project = load(project_dir, env, vars, target)
    compiled, names = compile_for_run(project, Selection(select, exclude))
    print_warnings(compiled.diagnostics)
    seeds = [n for n in names if project.nodes[n].resource_type == "seed"]
    if not seeds:
        console.print("[yellow]nothing to load[/]: no seed matches the selection")
        return 0
    run_options = RunOptions.for_target(project.target, threads, full_refresh)
    outcome = execute(project, compiled, seeds, run_options, ConsoleReporter(), "seed", fail_fast=fail_fast)
    print_summary(outcome.results.results)
    return finish(outcome)
