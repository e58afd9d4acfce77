"""``odibi-sql debug``."""

from __future__ import annotations

import platform

import duckdb
import sqlglot
from rich.markup import escape

from odibi_sql import __version__
from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console, print_error
from odibi_sql.diagnostics import OdibiError
from odibi_sql.execute.debug import run_checks


def debug_command(
    project_dir: options.ProjectDir = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
) -> int:
    """Check the project loads, its target opens and runs a query, and its connections are reachable
    (exit 1 on any problem)."""
    console.print(
        f"odibi-sql {__version__}, python {platform.python_version()}, "
        f"duckdb {duckdb.__version__}, sqlglot {sqlglot.__version__}"
    )
    try:
        project = load(project_dir, env, vars, target)
    except OdibiError as exc:
        console.print("[red]ERROR[/] project")
        print_error(exc)
        return 1
    console.print(
        f"[green]OK[/]    project {escape(project.config.name)} ({len(project.nodes)} nodes) at {escape(str(project.root))}"
    )
    checks = run_checks(project)
    for check in checks:
        word = "[green]OK[/]   " if check.ok else "[red]ERROR[/]"
        console.print(f"{word} {escape(check.name)}: {escape(check.detail)}")
    failed = sum(not c.ok for c in checks)
    console.print(
        "All checks passed!" if not failed else f"[red]{failed} check{'s' if failed > 1 else ''} failed[/]"
    )
    return 1 if failed else 0
