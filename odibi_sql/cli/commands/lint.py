"""``odibi-sql lint``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.text import Text

from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.commands.compile import resolve_dialects
from odibi_sql.cli.console import console
from odibi_sql.execute.validation import run_problems
from odibi_sql.lint import lint_project
from odibi_sql.lint.formats import OutputFormat, github, json, sarif, text

Format = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="text, json, github (workflow annotations) or sarif (2.1.0)."),
]


def lint_command(
    project_dir: options.ProjectDir = None,
    select: options.Select = None,
    exclude: options.Exclude = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
    dialect: options.Dialect = None,
    output_format: Format = OutputFormat.TEXT,
) -> int:
    """Check nodes for mistakes that break pipelines, before anything runs (exit 1 on errors)."""
    project = load(project_dir, env, vars, target)
    dialects = resolve_dialects(dialect, project.target.dialect)
    report = lint_project(project, select, exclude, dialects, checks=run_problems)
    if output_format is OutputFormat.TEXT:
        for line in text.render(report):
            console.print(Text.assemble(*line))
    else:
        renderer = {OutputFormat.JSON: json, OutputFormat.GITHUB: github, OutputFormat.SARIF: sarif}[
            output_format
        ]
        rendered = renderer.render(report)
        sys.stdout.write(rendered if rendered.endswith("\n") or not rendered else rendered + "\n")
    return report.exit_code
