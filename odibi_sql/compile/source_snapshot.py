"""``source_schemas.yaml``: the columns of every source, committed with the project so that compile
and lint work where the landing data is not (CI).

``odibi-sql sources snapshot`` writes it from the sources as they are; the compiler reads a
source's columns from it when the source itself cannot be read.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from odibi_sql.compile.sources import CatalogReader, SourceError, source_query
from odibi_sql.diagnostics import Diagnostic, DiagnosticCollector, Location, ProjectError
from odibi_sql.project.loader import Project

SNAPSHOT_FILE = "source_schemas.yaml"
_HEADER = (
    "# Columns of the project's sources, written by `odibi-sql sources snapshot`.\n"
    "# compile and lint read a source's columns here when its data is not reachable (CI).\n"
)


def read_snapshot(project: Project) -> dict[str, dict[str, str]]:
    """``{source node: {column: type}}``; empty when the project has no snapshot."""
    path = project.root / SNAPSHOT_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise _invalid(f"is not valid YAML: {exc}") from None
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, dict) or not all(
        isinstance(columns, dict) and all(isinstance(t, str) for t in columns.values())
        for columns in sources.values()
    ):
        raise _invalid("must hold `sources: {node: {column: type}}`")
    return {str(node): {str(c): t for c, t in columns.items()} for node, columns in sources.items()}


def snapshot_columns(project: Project) -> dict[str, dict[str, str]]:
    """The columns of every source (not seeds: their files live in the project) as they read now."""
    reader = CatalogReader(project)
    errors = DiagnosticCollector()
    sources: dict[str, dict[str, str]] = {}
    try:
        for name, node in project.nodes.items():
            if node.spec.read is None or node.resource_type == "seed":
                continue
            try:
                sources[name] = reader.columns(source_query(project, node), name, node.locate("read"))
            except SourceError as exc:
                errors.extend([exc.diagnostic])
    finally:
        reader.close()
    errors.raise_if_errors()
    return sources


def offline_columns(node_name: str, declared: dict[str, str], snapshot: dict[str, dict[str, str]]):
    """A source's columns when it cannot be read: from the snapshot, else its declared columns when
    every declared column has a type; None when neither says."""
    if node_name in snapshot:
        return snapshot[node_name]
    return declared or None


def write_snapshot(root: Path, sources: dict[str, dict[str, str]]) -> Path:
    path = root / SNAPSHOT_FILE
    body = yaml.safe_dump({"sources": dict(sorted(sources.items()))}, sort_keys=False, allow_unicode=True)
    path.write_text(_HEADER + body, encoding="utf-8")
    return path


def _invalid(what: str) -> ProjectError:
    return ProjectError(
        [
            Diagnostic(
                f"{SNAPSHOT_FILE} {what}",
                Location(SNAPSHOT_FILE),
                hint="write it again with `odibi-sql sources snapshot`",
            )
        ]
    )
