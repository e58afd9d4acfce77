"""``odibi-sql init``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from odibi_sql.cli.console import console
from odibi_sql.diagnostics import Diagnostic, ProjectError, did_you_mean
from odibi_sql.project.templates import TEMPLATES, create_project


def init_command(
    directory: Annotated[
        Path, typer.Argument(help="Folder to create the project in (must be empty or new).")
    ],
    template: Annotated[
        str, typer.Option("--template", help=f"Starter layout: {', '.join(TEMPLATES)}.")
    ] = "local-medallion",
    name: Annotated[
        str | None, typer.Option("--name", help="Project name (default: the folder name).")
    ] = None,
) -> int:
    """Create a working starter project."""
    if template not in TEMPLATES:
        raise ProjectError(
            [
                Diagnostic(
                    f"--template: unknown template '{template}'.{did_you_mean(template, TEMPLATES)}",
                    hint=f"use one of: {', '.join(TEMPLATES)}",
                )
            ]
        )
    written = create_project(directory, template, name)
    console.print(f"Created [bold]{directory}[/] from template {template} ({len(written)} files).")
    console.print(f"Next: [bold]odibi-sql compile --project-dir {directory}[/]")
    return 0
