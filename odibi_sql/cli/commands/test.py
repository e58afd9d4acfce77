"""``odibi-sql test``."""

from __future__ import annotations

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console, print_warnings
from odibi_sql.cli.reporter import ConsoleReporter, print_test_summary
from odibi_sql.compile.workspace import Selection, selected_nodes
from odibi_sql.execute.workflow import compile_for_run, test_nodes
from odibi_sql.testing.compile import DataTest
from odibi_sql.testing.selection import split_test_selectors


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
    words, by_name = split_test_selectors(project, select)
    keep = None
    selection = Selection(select, exclude, state)
    if by_name:  # tests named: those tests, with the tests of the nodes the other words select
        _, word_nodes = (
            selected_nodes(project, Selection([" ".join(words)], exclude, state)) if words else ({}, [])
        )
        selection = Selection([" ".join([*words, *dict.fromkeys(by_name.values())])], exclude, state)

        def keep(test: DataTest) -> bool:
            return test.name in by_name or test.node in word_nodes

    compiled, names = compile_for_run(project, selection)
    print_warnings(compiled.diagnostics)
    results, _ = test_nodes(project, compiled, names, ConsoleReporter(), keep)
    if not results:
        console.print("[yellow]nothing to test[/]: the selected nodes have no tests")
        return 0
    print_test_summary(results)
    return 1 if any(r.fails_the_run for r in results) else 0
