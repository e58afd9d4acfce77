"""The compiled SQL files: ``target/compiled/<dialect>/<pipeline>/<node>.sql`` (and ``.incremental.sql``).

Each node's files are written as soon as it compiles, by the process that compiled it, into a
staging folder; they are moved into place together once the whole command's checks pass (renames
are cheap), and dropped on any error, so bad input writes nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.diagnostics import FileSystemError, writing
from odibi_sql.project.node_spec import Materialized

COMPILED_FILES = "compiled_files"
"""The key of a node's ``{dialect: path}`` in ``CompiledNode.derived`` (see ``StagedSQLFiles``)."""


class StagedSQLFiles:
    """A ``derive`` analysis writing the SQL files of the ``selected`` nodes; a context manager
    that publishes them when its block succeeds."""

    def __init__(self, target_dir: Path, selected: Iterable[str]):
        self.target_dir = target_dir
        self.selected = frozenset(selected)
        self.staging = target_dir / f".compiled-{os.getpid()}"

    def __call__(self, node: CompiledNode, compiled: Mapping[str, CompiledNode]) -> dict[str, str]:
        """Stage the node's files; ``{dialect: path relative to the project}``."""
        if node.name not in self.selected or node.materialized is Materialized.EPHEMERAL:
            return {}
        paths = {}
        for dialect, sql in node.sql.items():
            relative = f"compiled/{dialect}/{node.definition.pipeline}/{node.name}"
            self._write(f"{relative}.sql", sql)
            if dialect in node.incremental_sql:
                self._write(f"{relative}.incremental.sql", node.incremental_sql[dialect])
            paths[dialect] = f"{self.target_dir.name}/{relative}.sql"
        return paths

    def _write(self, relative: str, sql: str) -> None:
        path = os.path.join(self.staging, relative)
        try:
            out = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            out = open(path, "w", encoding="utf-8")  # noqa: SIM115
        with writing(path), out:
            out.write(sql + "\n")

    def __enter__(self) -> StagedSQLFiles:
        self._target_existed = self.target_dir.exists()
        if self._target_existed and not self.target_dir.is_dir():
            raise FileSystemError(
                str(self.target_dir),
                "it is a file, and the artifacts are written into a folder of that name",
                "move the file away",
            )
        try:
            self.staging.mkdir(parents=True, exist_ok=True)  # fails here, before compiling, if it must
        except OSError as exc:
            raise FileSystemError.from_os_error(exc) from None
        if self._target_existed and os.name == "posix":  # (signal 0 probes a pid only there)
            _remove_abandoned_staging(self.target_dir)
        return self

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if kind is None:
                self._publish()
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
            if kind is not None and not self._target_existed:
                shutil.rmtree(self.target_dir, ignore_errors=True)  # made only to stage in

    def _publish(self) -> None:
        for folder, _, files in os.walk(self.staging):
            destination = self.target_dir / os.path.relpath(folder, self.staging)
            destination.mkdir(parents=True, exist_ok=True)
            for name in files:
                os.replace(os.path.join(folder, name), destination / name)


def remove_stale_files(target_dir: Path, nodes: Iterable[tuple[str, str]]) -> None:
    """Drop compiled files of nodes the project no longer has (``nodes``: its ``(pipeline, node)``)."""
    compiled = target_dir / "compiled"
    if not compiled.is_dir():
        return
    current = {f"{pipeline}/{node}" for pipeline, node in nodes}
    for path in compiled.glob("*/*/*.sql"):
        stem = path.name.removesuffix(".sql").removesuffix(".incremental")
        if f"{path.parent.name}/{stem}" not in current:
            path.unlink()
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # when it was the pipeline's last file


def _remove_abandoned_staging(target_dir: Path) -> None:
    """Drop the staging folders of compiles that were killed (their process is gone)."""
    for folder in target_dir.glob(".compiled-*"):
        pid = folder.name.removeprefix(".compiled-")
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
