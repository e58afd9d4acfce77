"""Compile for a command and write its artifacts (compiled SQL files and manifest.json), all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from odibi_sql.artifacts.compiled_files import COMPILED_FILES, StagedSQLFiles
from odibi_sql.artifacts.manifest import build_manifest, write_manifest
from odibi_sql.compile.compiler import CompiledProject, ProjectGraph, compile_project
from odibi_sql.lineage.build import tracing
from odibi_sql.project.loader import Project


def compile_to_target(
    project: Project,
    dialects: Sequence[str],
    graph: ProjectGraph,
    only: Iterable[str],
    files_for: Iterable[str],
    check: Callable[[CompiledProject], None] | None = None,
) -> tuple[CompiledProject, Path]:
    """Compile ``only`` these nodes (and their ancestors), run ``check`` on the result, then write
    the SQL files of ``files_for`` and ``target/manifest.json``; returns the manifest's path too.

    Lineage is traced and files are staged by the processes that compile; an error anywhere
    (compile or ``check``) leaves ``target/`` as it was.
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
        if check is not None:
            check(compiled)
    return compiled, write_manifest(build_manifest(compiled), target_dir)
