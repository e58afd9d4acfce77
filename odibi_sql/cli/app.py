"""The ``odibi-sql`` command: a typer app with one module per command and one error boundary.

Exit codes: 0 success; 1 a node, test or lint rule failed; 2 the project or command line is invalid.
"""

from __future__ import annotations

import sys
from typing import Annotated

import click
import typer
from rich.markup import escape
from typer.exceptions import TyperException  # typer >= 0.20 raises its own (vendored) click errors

from odibi_sql import __version__
from odibi_sql.cli.commands import build as build_cmd
from odibi_sql.cli.commands import compile as compile_cmd
from odibi_sql.cli.commands import docs as docs_cmd
from odibi_sql.cli.commands import init as init_cmd
from odibi_sql.cli.commands import lineage as lineage_cmd
from odibi_sql.cli.commands import lint as lint_cmd
from odibi_sql.cli.commands import ls as ls_cmd
from odibi_sql.cli.commands import run as run_cmd
from odibi_sql.cli.commands import seed as seed_cmd
from odibi_sql.cli.commands import test as test_cmd
from odibi_sql.cli.console import err_console, print_error
from odibi_sql.diagnostics import OdibiError

app = typer.Typer(
    name="odibi-sql",
    help="SQL-first transformation compiler: YAML + SQL nodes compiled for DuckDB and Spark.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"odibi-sql {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    _state["debug"] = debug


app.command("compile")(compile_cmd.compile_command)
app.command("ls")(ls_cmd.ls_command)
app.command("init")(init_cmd.init_command)
app.command("run")(run_cmd.run_command)
app.command("seed")(seed_cmd.seed_command)
app.command("test")(test_cmd.test_command)
app.command("build")(build_cmd.build_command)
app.command("lint")(lint_cmd.lint_command)
app.command("lineage")(lineage_cmd.lineage_command)
app.command("docs")(docs_cmd.docs_command)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, map errors to exit codes, never show a traceback unless --debug."""
    try:
        result = app(args=argv, standalone_mode=False)
        return int(result or 0)
    except OdibiError as exc:
        if _state["debug"]:
            raise
        print_error(exc)
        return exc.exit_code
    except (click.exceptions.Exit, typer.Exit) as exc:
        return exc.exit_code
    except (click.exceptions.Abort, typer.Abort):
        err_console.print("aborted")
        return 130
    except (click.ClickException, TyperException) as exc:
        exc.show()
        return exc.exit_code  # 2 for usage errors
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except Exception as exc:  # a bug in odibi-sql: one line, not a traceback
        if _state["debug"]:
            raise
        err_console.print(
            f"[red]internal error[/]: {type(exc).__name__}: {escape(str(exc))}\n"
            "  this is a bug in odibi-sql; run again with --debug for the traceback and report it"
        )
        return 1


def run() -> None:
    sys.exit(main())
