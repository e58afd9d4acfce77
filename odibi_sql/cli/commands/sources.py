"""``odibi-sql sources snapshot``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console, relative_to_cwd
from odibi_sql.compile.source_snapshot import snapshot_columns, write_snapshot


class SourcesAction(StrEnum):
    SNAPSHOT = "snapshot"


def sources_command(
    action: Annotated[SourcesAction, typer.Argument(help="snapshot: write source_schemas.yaml.")],
    project_dir: options.ProjectDir = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
) -> int:
    """Write source_schemas.yaml: the columns of every source as they read now. Commit it, and
    compile and lint work where the source data is not (CI)."""
    project = load(project_dir, env, vars, target)
    sources = snapshot_columns(project)
    path = write_snapshot(project.root, sources)
    console.print(
        f"Wrote the columns of {len(sources)} source{'s' if len(sources) != 1 else ''} -> {relative_to_cwd(path)}"
    )
    return 0
