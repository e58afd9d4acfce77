"""``odibi-sql show``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.execute.preview import preview


def show_command(
    node: Annotated[str | None, typer.Argument(help="The node to preview.", show_default=False)] = None,
    inline: Annotated[
        str | None,
        typer.Option(
            "--inline", help="SQL to preview instead of a node (refs and Jinja allowed).", show_default=False
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many rows to show.")] = 10,
    project_dir: options.ProjectDir = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
) -> int:
    """Preview the first rows of a node's query, or of --inline SQL, read from the target (nothing is written)."""
    if (node is None) == (inline is None):
        raise ProjectError(
            [
                Diagnostic(
                    "show: name one node, or pass --inline SQL (one of the two)",
                    hint="e.g. odibi-sql show orders --limit 5",
                )
            ]
        )
    project = load(project_dir, env, vars, target)
    result = preview(project, node, inline, limit)
    table = Table(*(escape(c) for c in result.columns), header_style="bold")
    for row in result.rows:
        table.add_row(*(escape("NULL" if v is None else str(v)) for v in row))
    what = f"node {node}" if node else "inline query"
    console.print(f"Previewing {what} (first {limit} rows):")
    console.print(table)
    return 0
