"""The ``odibi-sql`` command: a typer app with one module per command and one error boundary.

Exit codes: 0 success; 1 a node, test or lint rule failed; 2 the project or command line is invalid.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import os
import signal
import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, NoReturn

import typer
from rich.markup import escape
from typer.exceptions import TyperException  # typer vendors click: its usage errors subclass this

from odibi_sql import __version__
from odibi_sql.cli.console import err_console, print_error, show_logs
from odibi_sql.cli.output import output
from odibi_sql.diagnostics import FileSystemError, OdibiError

COMMANDS = (
    "compile",
    "ls",
    "init",
    "run",
    "seed",
    "test",
    "build",
    "lint",
    "lineage",
    "docs",
    "sources",
    "show",
    "debug",
    "clean",
)
"""Each is a module of ``odibi_sql.cli.commands`` defining ``<name>_command``."""

_state = {"debug": False, "process": False, "argv": []}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"odibi-sql {__version__}")
        raise typer.Exit()


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def _root(
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show Python tracebacks and debug messages (anywhere on the line)."),
    ] = False,
    log_format: Annotated[
        LogFormat,
        typer.Option("--log-format", help="text, or json: one JSON object per line (anywhere on the line)."),
    ] = LogFormat.TEXT,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    _state["debug"] = debug
    show_logs(debug)
    output.begin(_state["argv"], log_format.value, in_process=not _state["process"])


def build_app(only: str | None = None) -> typer.Typer:
    """The typer app with every command, or with just ``only``: a command's module imports what it
    runs (the runner, lint, the report), so one command does not pay to load the others."""
    app = typer.Typer(
        name="odibi-sql",
        help="SQL-first transformation compiler: YAML + SQL nodes compiled for DuckDB and Spark.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.callback()(_root)
    for name in COMMANDS:
        if only in (None, name):
            module = importlib.import_module(f"odibi_sql.cli.commands.{name}")
            app.command(name)(getattr(module, f"{name}_command"))
    return app


def _invoked(argv: list[str]) -> str | None:
    """The command ``argv`` runs, if it names one after only global options (else every command is
    loaded: ``--help`` lists them all)."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        if argv[i] in GLOBAL_OPTIONS:
            i += 1  # its value
        elif argv[i] not in GLOBAL_FLAGS and argv[i].split("=", 1)[0] not in GLOBAL_OPTIONS:
            return None
        i += 1
    return argv[i] if i < len(argv) and argv[i] in COMMANDS else None


GLOBAL_FLAGS = ("--debug",)
GLOBAL_OPTIONS = ("--log-format",)
"""Options of the program, not of a command: accepted anywhere on the line, as dbt does."""


def _globals_first(argv: list[str]) -> list[str]:
    """``odibi-sql run --debug --log-format json`` as ``odibi-sql --debug --log-format json run``."""
    end = argv.index("--") if "--" in argv else len(argv)
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < end:
        arg = argv[i]
        if arg in GLOBAL_FLAGS:
            front += [arg] if arg not in front else []
        elif arg in GLOBAL_OPTIONS and i + 1 < end:
            front += [arg, argv[i + 1]]
            i += 1
        elif arg.split("=", 1)[0] in GLOBAL_OPTIONS:
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return [*front, *rest, *argv[end:]]


SELECTOR_OPTIONS = ("--select", "-s", "--exclude")
POSITIONAL_COMMANDS = ("init", "lineage", "show", "sources")
"""Commands with arguments of their own: their selector options take one value each."""


def _selectors_joined(argv: list[str]) -> list[str]:
    """``--select a b`` (dbt's form) as ``--select 'a b'``: the values after a selector option, up
    to the next option, are one union."""
    if any(a in POSITIONAL_COMMANDS for a in argv[:2]):
        return argv
    out: list[str] = []
    i = 0
    while i < len(argv):
        out.append(argv[i])
        if argv[i] in SELECTOR_OPTIONS and i + 1 < len(argv):
            values = [argv[i + 1]]
            i += 2
            while i < len(argv) and not argv[i].startswith("-"):
                values.append(argv[i])
                i += 1
            out.append(" ".join(values))
            continue
        i += 1
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, map errors to exit codes, never show a traceback unless --debug."""
    argv = _selectors_joined(_globals_first(sys.argv[1:] if argv is None else argv))
    _state["argv"] = argv
    with _no_full_collections():
        try:
            return _main(argv)
        finally:
            output.close()


@contextlib.contextmanager
def _no_full_collections() -> Iterator[None]:
    """Python's full garbage collections scan every object alive: after a compile, the whole
    project's ASTs, again and again (a quarter of a second for 1,000 nodes). What outlives the
    young collections lives about as long as the command, so a command runs without them."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000_000)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)


def _main(argv: list[str]) -> int:
    try:
        result = build_app(_invoked(argv))(args=argv, standalone_mode=False)
        return int(result or 0)
    except OdibiError as exc:
        if _state["debug"]:
            raise
        print_error(exc)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except TyperException as exc:
        exc.show()
        return exc.exit_code  # 2 for usage errors
    except _Terminated:
        err_console.print("terminated")
        return 143
    except OSError as exc:  # the machine's problem: a full disk, a read-only folder, a file in the way
        if _state["debug"]:
            raise
        error = FileSystemError.from_os_error(exc)
        print_error(error)
        return error.exit_code
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


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C (a run in progress handles both itself: ``execute/interrupt.py``)."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def run() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    _state["process"] = True  # "Done in" counts from the process start
    exit_now(main())


def exit_now(code: int) -> NoReturn:
    """End the process without tearing its heap down object by object (about 0.3 s after compiling
    1,000 nodes): exit handlers run and output is flushed first, as on a normal exit."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
