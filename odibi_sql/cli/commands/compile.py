"""``odibi-sql compile``."""

from __future__ import annotations

import time

from odibi_sql.artifacts.write import compile_to_target
from odibi_sql.cli import options
from odibi_sql.cli.commands.common import load
from odibi_sql.cli.console import console, print_warnings, relative_to_cwd
from odibi_sql.compile.workspace import Selection, defer_state, selected_nodes
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.dialect import known_dialects
from odibi_sql.execute.validation import nodes_to_compile, validate_for_run


def compile_command(
    project_dir: options.ProjectDir = None,
    select: options.Select = None,
    exclude: options.Exclude = None,
    target: options.Target = None,
    env: options.Env = None,
    vars: options.Vars = None,
    dialect: options.Dialect = None,
    state: options.State = None,
    defer: options.Defer = False,
) -> int:
    """Compile nodes to SQL: target/compiled/<dialect>/<pipeline>/<node>.sql and target/manifest.json."""
    started = time.perf_counter()
    project = load(project_dir, env, vars, target)
    dialects = resolve_dialects(dialect, project.target.dialect)
    selection = Selection(select, exclude, state, defer)
    graph, selected = selected_nodes(project, selection)
    compiled, manifest = compile_to_target(
        project,
        dialects,
        graph,
        only=nodes_to_compile(project, selected),
        files_for=selected,
        check=lambda compiled: validate_for_run(compiled, selected),
        defer=defer_state(project, selection),
    )
    print_warnings(compiled.diagnostics)
    elapsed = time.perf_counter() - started
    if not selected:
        console.print("[yellow]nothing selected[/]: no node matches --select/--exclude")
    console.print(
        f"Compiled [bold]{len(selected)}[/] node{'s' if len(selected) != 1 else ''} for "
        f"{', '.join(dialects)} in {elapsed:.2f}s -> {relative_to_cwd(manifest)}"
    )
    return 0


def resolve_dialects(requested: list[str] | None, default: str) -> tuple[str, ...]:
    wanted = []
    for value in requested or [default]:
        wanted.extend(
            known_dialects() if value == "all" else [v.strip() for v in value.split(",") if v.strip()]
        )
    unknown = [d for d in wanted if d not in known_dialects()]
    if unknown:
        raise ProjectError(
            [
                Diagnostic(
                    f"--dialect: unknown dialect '{unknown[0]}'",
                    hint=f"use one of: {', '.join(known_dialects())}, all",
                )
            ]
        )
    return tuple(dict.fromkeys(wanted))
