"""Rich output for the CLI: errors, warnings and summaries. Core code never prints."""

from __future__ import annotations

import logging
import os

from rich.console import Console
from rich.markup import escape

from odibi_sql.diagnostics import Diagnostic, OdibiError, ProjectError

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def print_error(error: OdibiError) -> None:
    if isinstance(error, ProjectError):
        count = len(error.diagnostics)
        err_console.print(f"[bold red]{count} error{'s' if count != 1 else ''} in the project:[/]")
        for diagnostic in error.diagnostics:
            print_diagnostic(diagnostic)
        return
    err_console.print(f"[bold red]error:[/] {escape(error.format())}")


def print_diagnostic(diagnostic: Diagnostic) -> None:
    colour = "red" if diagnostic.severity == "error" else "yellow"
    where = f"{diagnostic.location}: " if diagnostic.location else ""
    node = f"[{diagnostic.node}] " if diagnostic.node else ""
    err_console.print(f"[{colour}]{escape(where)}[/]{escape(node)}{escape(diagnostic.message)}")
    if diagnostic.snippet:
        err_console.print(escape(diagnostic.snippet))
    if diagnostic.hint:
        err_console.print(f"  [dim]to fix:[/] {escape(diagnostic.hint)}")


def print_warnings(diagnostics: list[Diagnostic]) -> None:
    """The warnings found while compiling (e.g. nodes marked ``portability: unchecked``), each once."""
    for diagnostic in dict.fromkeys(d for d in diagnostics if d.severity == "warning"):
        err_console.print("[yellow]warning:[/] ", end="")
        print_diagnostic(diagnostic)


def relative_to_cwd(path: os.PathLike) -> str:
    """A path relative to the current folder when it lies inside it, else absolute."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    return os.path.relpath(absolute, cwd) if absolute.startswith(cwd + os.sep) else absolute


class LogHandler(logging.Handler):
    """Shows what the stages log: ``{{ log(...) }}`` and ``exceptions.warn(...)`` from templates,
    selectors that match nothing."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:  # a warning found twice (e.g. selection) shows once
            if record.getMessage() in self._shown:
                return
            self._shown.add(record.getMessage())
        message = escape(record.getMessage())
        if record.levelno >= logging.WARNING:
            err_console.print(f"[yellow]warning:[/] {message}")
        else:
            err_console.print(message)


def show_logs(debug: bool) -> None:
    """Route the stages' logs to stderr: info and warnings always, debug messages with --debug."""
    logger = logging.getLogger("odibi_sql")
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    logger.propagate = False
    for handler in [h for h in logger.handlers if isinstance(h, LogHandler)]:
        logger.removeHandler(handler)  # one per command: its warnings start afresh
    logger.addHandler(LogHandler())
