"""``odibi-sql clean``: what commands wrote in ``target/`` goes, the targets' database files stay."""

from __future__ import annotations

import shutil
from pathlib import Path

from odibi_sql.project.config import DuckDBConnection, DuckDBTarget
from odibi_sql.project.loader import Project

_DATABASE_SUFFIXES = ("", ".wal")


def kept_databases(project: Project) -> set[Path]:
    """The DuckDB files of every target and connection (and their write-ahead logs)."""
    paths = [t.path for t in project.config.targets.values() if isinstance(t, DuckDBTarget)]
    if isinstance(project.target, DuckDBTarget):
        paths.append(project.target.path)
    paths += [c.path for c in project.config.connections.values() if isinstance(c, DuckDBConnection)]
    files = {
        (project.root / p.replace("{project}", project.config.name)).resolve()
        for p in paths
        if p != ":memory:"
    }
    return {Path(f"{f}{suffix}") for f in files for suffix in _DATABASE_SUFFIXES}


def clean_target(project: Project) -> list[Path]:
    """Remove everything in ``target/`` except database files; returns what was removed."""
    target_dir = project.root / "target"
    if not target_dir.is_dir():
        return []
    return _clean_folder(target_dir, kept_databases(project))


def _clean_folder(folder: Path, keep: set[Path]) -> list[Path]:
    removed = []
    for path in sorted(folder.iterdir()):
        resolved = path.resolve()
        if resolved in keep:
            continue
        if path.is_symlink():
            path.unlink()  # the link, never what it points to
            removed.append(path)
        elif any(k.is_relative_to(resolved) for k in keep):
            removed += _clean_folder(path, keep)
        elif path.is_dir():
            shutil.rmtree(path)
            removed.append(path)
        else:
            path.unlink()
            removed.append(path)
    return removed
