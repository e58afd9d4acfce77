"""Options shared by the commands, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ProjectDir = Annotated[
    Path, typer.Option("--project-dir", help="Folder holding odibi_project.yaml.", show_default=False)
]
Select = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        "-s",
        help="Nodes to include (dbt grammar: name, tag:, path:, +, @, ...).",
        show_default=False,
    ),
]
Exclude = Annotated[
    list[str] | None, typer.Option("--exclude", help="Nodes to leave out (same grammar).", show_default=False)
]
Target = Annotated[
    str | None, typer.Option("--target", "-t", help="Target from odibi_project.yaml.", show_default=False)
]
Env = Annotated[
    str | None, typer.Option("--env", help="Overlay env.NAME.yaml over the project file.", show_default=False)
]
Vars = Annotated[
    str | None,
    typer.Option("--vars", help="YAML mapping of vars, e.g. '{start_date: 2024-01-01}'.", show_default=False),
]
State = Annotated[
    Path | None,
    typer.Option(
        "--state", help="Folder with a previous manifest.json, for state:modified.", show_default=False
    ),
]
Dialect = Annotated[
    list[str] | None,
    typer.Option(
        "--dialect",
        help="Dialect(s) to render: duckdb, spark or all (comma-separated or repeated; default: the target's).",
        show_default=False,
    ),
]
Defer = Annotated[
    bool,
    typer.Option(
        "--defer",
        help="Read unselected upstream nodes from the --state build's relations (dbt's defer).",
    ),
]
FailFast = Annotated[
    bool,
    typer.Option(
        "--fail-fast", "-x", help="Start no node after the first one fails (the others are skipped)."
    ),
]
