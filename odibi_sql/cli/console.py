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


def relative_to_cwd(path: os.PathLike) -> str:
    """A path relative to the current folder when it lies inside it, else absolute."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    return os.path.relpath(absolute, cwd) if absolute.startswith(cwd + os.sep) else absolute


class TemplateLogHandler(logging.Handler):
    """Shows ``{{ log(...) }}`` and ``exceptions.warn(...)`` from templates on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        message = escape(record.getMessage())
        if record.levelno >= logging.WARNING:
            err_console.print(f"[yellow]warning:[/] {message}")
        else:
            err_console.print(message)


def show_template_logs(debug: bool) -> None:
    """Route template logs to stderr: ``log(msg, info=True)`` and warnings always, the rest with --debug."""
    logger = logging.getLogger("odibi_sql.jinja")
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    logger.propagate = False
    if not any(isinstance(h, TemplateLogHandler) for h in logger.handlers):
        logger.addHandler(TemplateLogHandler())
