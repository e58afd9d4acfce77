"""The steps every command starts with: load the project, graph it, select, compile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odibi_sql.compile.compiler import (
    CompiledProject,
    NodeAnalysis,
    ProjectGraph,
    build_graph,
    compile_project,
)
from odibi_sql.compile.defer import DeferState, read_defer_state
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.graph.selection import select
from odibi_sql.project.loader import Project, load_project


@dataclass(frozen=True)
class Selection:
    select: Sequence[str] | None = None
    exclude: Sequence[str] | None = None
    state: Path | None = None
    defer: bool = False
    """Read unselected upstream nodes from the state's relations (``compile/defer.py``)."""


def open_project(
    project_dir: Path,
    env: str | None = None,
    cli_vars: dict[str, Any] | None = None,
    target: str | None = None,
) -> Project:
    return load_project(project_dir, env=env, cli_vars=cli_vars, target=target)


def selected_nodes(project: Project, selection: Selection) -> tuple[ProjectGraph, list[str]]:
    graph = build_graph(project)
    return graph, select(project, graph.dag, selection.select, selection.exclude, selection.state)


def compile_selected(
    project: Project,
    dialects: Sequence[str],
    selection: Selection,
    derive: Mapping[str, NodeAnalysis] | None = None,
) -> tuple[CompiledProject, list[str]]:
    """Compile the selected nodes (and what they read), rendering each dialect."""
    graph, names = selected_nodes(project, selection)
    return compile_project(project, dialects, only=names, graph=graph, derive=derive), names


def defer_state(project: Project, selection: Selection) -> DeferState | None:
    """The state to defer to, when ``--defer`` was given (it needs ``--state``)."""
    if not selection.defer:
        return None
    if selection.state is None:
        raise ProjectError(
            [
                Diagnostic(
                    "--defer needs --state DIR: the target/ folder of the build to read unselected nodes from",
                    hint="e.g. --defer --state prod-target/",
                )
            ]
        )
    return read_defer_state(selection.state, project)
