"""``odibi-sql docs``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console, relative_to_cwd
from odibi_sql.compile.compiler import compile_project
from odibi_sql.compile.workspace import Selection, selected_nodes
from odibi_sql.lineage.build import tracing
from odibi_sql.report.data import build_report
from odibi_sql.report.render import write_report
from odibi_sql.testing.compile import relationship_targets

Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Where to write the report (default: target/report.html).", show_default=False
    ),
]


def docs_command(
    project_dir: options.ProjectDir = None,
    select: options.Select = None,
    exclude: options.Exclude = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
    state: options.State = None,
    output: Output = None,
) -> int:
    """Write the run report: one self-contained HTML file with the DAG, each node's SQL, columns,
    null percentages, column lineage, data tests, last run and drift."""
    project = load(project_dir, env, vars, target)
    graph, names = selected_nodes(project, Selection(select, exclude, state))
    if not names:
        console.print("[yellow]nothing to document[/]: no node matches the selection")
        return 0
    wanted = [*names, *relationship_targets(project, names)]
    compiled = compile_project(
        project, (project.target.dialect,), only=wanted, graph=graph, derive=tracing(project)
    )
    report = build_report(compiled, names)
    path = write_report(report, output or project.root / "target" / "report.html")
    counts = report.state_counts()
    console.print(
        f"wrote [bold]{relative_to_cwd(path)}[/]: {len(report.nodes)} nodes "
        f"(passed {counts['success']}, failed {counts['error']}, tests failed {counts['tests-failed']}, "
        f"skipped {counts['skipped']}, not run {counts['not-run']}), {report.tests_total} data tests"
    )
    return 0
