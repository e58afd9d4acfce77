"""``odibi-sql clean``."""

from __future__ import annotations

from odibi_sql.artifacts.clean import clean_target
from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console, relative_to_cwd


def clean_command(
    project_dir: options.ProjectDir = None,
    env: options.Env = None,
) -> int:
    """Remove what commands wrote in target/ (compiled SQL, manifest, run results, logs, report);
    database files of the project's targets stay."""
    project = load(project_dir, env, None, None)
    removed = clean_target(project)
    for path in removed:
        console.print(f"removed {relative_to_cwd(path)}")
    console.print(f"Cleaned {len(removed)} path{'s' if len(removed) != 1 else ''} in target/")
    return 0
