"""Helpers the commands share: parsing --vars, opening the project from options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rich.markup import escape

from odibi_sql.cli.console import err_console
from odibi_sql.cli.output import output
from odibi_sql.compile.workspace import open_project
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.project.loader import Project


def parse_vars(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProjectError(
            [Diagnostic(f"--vars is not valid YAML: {exc}", hint="e.g. --vars '{start_date: 2024-01-01}'")]
        ) from None
    if not isinstance(value, dict):
        raise ProjectError(
            [Diagnostic("--vars must be a mapping", hint="e.g. --vars '{start_date: 2024-01-01}'")]
        )
    return value


def load(project_dir: Path | None, env: str | None, vars_text: str | None, target: str | None) -> Project:
    """The project; from here on the command's lines are also logged to target/odibi.log."""
    project = open_project(project_dir or Path.cwd(), env=env, cli_vars=parse_vars(vars_text), target=target)
    if project.kind == "dbt":
        err_console.print(
            f"[dim]read as a dbt project (dbt_project.yml): {escape(project.config.name)},"
            f" target {escape(project.target_name)}[/]"
        )
    output.open_log(project.root / "target")
    return project
