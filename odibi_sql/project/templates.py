"""Starter projects for ``odibi-sql init``: folders under ``odibi_sql/templates/<name>/``."""

from __future__ import annotations

import re
from pathlib import Path

from odibi_sql.diagnostics import Diagnostic, ProjectError

_ROOT = Path(__file__).resolve().parent.parent / "templates"
TEMPLATES = ("local-medallion", "spark-delta", "minimal")
_PLACEHOLDER = "__project_name__"


def create_project(directory: Path, template: str, name: str | None = None) -> list[Path]:
    """Copy a template into ``directory`` (new or empty), naming the project; returns the files written."""
    if directory.exists() and any(directory.iterdir()):
        raise ProjectError(
            [Diagnostic(f"{directory} is not empty", hint="pick a new folder, or empty this one first")]
        )
    name = name or re.sub(r"\W", "_", directory.resolve().name) or "project"
    if not re.match(r"^[A-Za-z_]\w*$", name):
        name = f"p_{name}"
    source = _ROOT / template
    written: list[Path] = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        dest = directory / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(path.read_text(encoding="utf-8").replace(_PLACEHOLDER, name), encoding="utf-8")
        written.append(dest)
    return written
