"""``odibi-sql test``."""

from __future__ import annotations

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console
from odibi_sql.cli.reporter import ConsoleReporter, print_test_summary
from odibi_sql.compile.workspace import Selection
from odibi_sql.execute.workflow import compile_for_run, test_nodes


def test_command(
    project_dir: options.ProjectDir = None,
    select: options.Select = None,
    exclude: options.Exclude = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
    state: options.State = None,
) -> int:
    """Run the data tests of the selected nodes against the built target."""
    project = load(project_dir, env, vars, target)
    compiled, names = compile_for_run(project, Selection(select, exclude, state))
    results, seconds = test_nodes(project, compiled, names, ConsoleReporter())
    if not results:
        console.print("[yellow]nothing to test[/]: the selected nodes have no tests")
        return 0
    print_test_summary(results, seconds)
    return 1 if any(r.fails_the_run for r in results) else 0
