"""``odibi-sql ls``."""

from __future__ import annotations

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console, err_console
from odibi_sql.compile.workspace import Selection, selected_nodes


def ls_command(
    project_dir: options.ProjectDir = None,
    select: options.Select = None,
    exclude: options.Exclude = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
    state: options.State = None,
) -> int:
    """List the selected nodes, one name per line, in DAG order."""
    project = load(project_dir, env, vars, target)
    _, names = selected_nodes(project, Selection(select, exclude, state))
    for name in names:
        console.print(name)
    if not names:
        err_console.print("[yellow]nothing selected[/]")
    return 0
