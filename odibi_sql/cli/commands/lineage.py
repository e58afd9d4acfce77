"""``odibi-sql lineage``."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.lineage_view import print_view
from odibi_sql.compile.workspace import Selection, compile_selected
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.lineage.build import build_lineage, tracing
from odibi_sql.lineage.compose import Direction
from odibi_sql.lineage.formats.dot import to_dot
from odibi_sql.lineage.formats.json import to_document
from odibi_sql.lineage.formats.mermaid import to_mermaid
from odibi_sql.lineage.formats.openlineage import to_json_lines, to_openlineage
from odibi_sql.lineage.query import lineage_view


class LineageFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MERMAID = "mermaid"
    DOT = "dot"
    OPENLINEAGE = "openlineage"


Focus = Annotated[
    str | None,
    typer.Argument(
        help="NODE or NODE.COLUMN to trace; NODE may be its SCHEMA.TABLE (default: every column of every selected node).",
        show_default=False,
    ),
]
Upstream = Annotated[bool, typer.Option("--upstream", help="Where the columns come from (the default).")]
Downstream = Annotated[
    bool, typer.Option("--downstream", help="Impact: every column that changes when these columns change.")
]
Depth = Annotated[
    int | None, typer.Option("--depth", min=0, help="Follow at most N hops.", show_default=False)
]
Format = Annotated[LineageFormat, typer.Option("--format", "-f", help="Output format.")]
Namespace = Annotated[
    str | None,
    typer.Option(
        "--namespace",
        help="OpenLineage namespace of the project's datasets (default: odibi-sql://<project>/<target>).",
        show_default=False,
    ),
]


def lineage_command(
    focus: Focus = None,
    upstream: Upstream = False,
    downstream: Downstream = False,
    depth: Depth = None,
    format: Format = LineageFormat.TABLE,
    namespace: Namespace = None,
    project_dir: options.ProjectDir = None,
    select: options.Select = None,
    exclude: options.Exclude = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
    state: options.State = None,
) -> int:
    """Column-level lineage: where each column comes from, or what a change to it would impact."""
    if upstream and downstream:
        raise ProjectError([Diagnostic("--upstream and --downstream exclude each other", hint="pick one")])
    if (upstream or downstream or depth is not None) and focus is None:
        raise ProjectError(
            [
                Diagnostic(
                    "--upstream, --downstream and --depth need a NODE or NODE.COLUMN to start from",
                    hint="e.g. odibi-sql lineage orders.amount --downstream",
                )
            ]
        )
    project = load(project_dir, env, vars, target)
    compiled, selected = compile_selected(
        project, (), Selection(select, exclude, state), derive=tracing(project)
    )
    graph = build_lineage(compiled, None if focus else selected)
    direction = Direction.DOWNSTREAM if downstream else Direction.UPSTREAM
    view = lineage_view(graph, focus, direction, depth)
    name, target_name = project.config.name, project.target_name
    if format is LineageFormat.TABLE:
        print_view(view)
    elif format is LineageFormat.JSON:
        typer.echo(json.dumps(to_document(view, name, target_name), indent=1))
    elif format is LineageFormat.MERMAID:
        typer.echo(to_mermaid(view), nl=False)
    elif format is LineageFormat.DOT:
        typer.echo(to_dot(view), nl=False)
    else:
        events = to_openlineage(view, name, namespace or f"odibi-sql://{name}/{target_name}")
        typer.echo(to_json_lines(events), nl=False)
    return 0
