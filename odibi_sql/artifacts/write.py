"""Compile for a command and write its artifacts (compiled SQL files and manifest.json), all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from odibi_sql.artifacts.compiled_files import COMPILED_FILES, StagedSQLFiles, remove_stale_files
from odibi_sql.artifacts.manifest import build_manifest, read_manifest, write_manifest
from odibi_sql.compile.compiler import CompiledProject, ProjectGraph, compile_project
from odibi_sql.compile.defer import DeferState, defer_upstream, with_state_database
from odibi_sql.lineage.build import tracing
from odibi_sql.project.loader import Project


def compile_to_target(
    project: Project,
    dialects: Sequence[str],
    graph: ProjectGraph,
    only: Iterable[str],
    files_for: Sequence[str],
    check: Callable[[CompiledProject], None] | None = None,
    defer: DeferState | None = None,
) -> tuple[CompiledProject, Path]:
    """Compile ``only`` these nodes (and their ancestors), run ``check`` on the result, then write
    the SQL files of ``files_for`` and ``target/manifest.json``; returns the manifest's path too.

    Lineage is traced and files are staged by the processes that compile; an error anywhere
    (compile or ``check``) leaves ``target/`` as it was. With ``defer``, the ``files_for`` nodes read
    their other upstream nodes from the state's relations, and ``compiled.project`` can open them.
    """
    target_dir = project.root / "target"
    with StagedSQLFiles(target_dir, files_for) as files:
        compiled = compile_project(
            project,
            dialects,
            only=list(only),
            graph=graph,
            derive={**tracing(project), COMPILED_FILES: files},
        )
        if defer is not None:
            selected = [n for n in files_for if n in compiled.nodes]
            defer_upstream(compiled, selected, defer)
            for name in selected:
                compiled.nodes[name].derived[COMPILED_FILES] = files(compiled.nodes[name], compiled.nodes)
            compiled.project = with_state_database(project, defer)
        if check is not None:
            check(compiled)
        manifest = write_manifest(  # inside the block: a failed write drops the staged files
            build_manifest(compiled, read_manifest(target_dir)), target_dir
        )
    remove_stale_files(target_dir, ((n.pipeline, n.name) for n in project.nodes.values()))
    return compiled, manifest
