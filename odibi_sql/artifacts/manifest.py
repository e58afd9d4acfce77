"""``target/manifest.json``: every node of the project with deps, tags, typed columns, SQL and checksums.

A command that compiles a selection still describes the whole project: a node it did not compile
keeps its entry from the previous manifest when neither it nor any ancestor changed since, and is
otherwise described from its definition, without compiled SQL (as dbt's unselected nodes).
The schema is versioned (``schema_version``) and exported as JSON Schema from these models.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from odibi_sql import __version__
from odibi_sql.artifacts.compiled_files import COMPILED_FILES
from odibi_sql.compile.compiler import CompiledNode, CompiledProject, node_relation, write_mode
from odibi_sql.diagnostics import writing
from odibi_sql.graph.selection import flat_config
from odibi_sql.lineage.build import build_lineage
from odibi_sql.lineage.formats.json import node_record
from odibi_sql.lineage.graph import NodeLineage
from odibi_sql.lineage.records import NodeRecord
from odibi_sql.project.config import DuckDBTarget
from odibi_sql.project.loader import Project
from odibi_sql.project.node_spec import ColumnSpec

SCHEMA_VERSION = "odibi-sql/manifest/v1"


class ManifestColumn(TypedDict):  # a dict, not a model: thousands are built per manifest
    """A column of the node: its type and what the YAML declares about it."""

    name: str
    type: str | None
    description: str | None
    tests: list[Any]
    sensitive: bool


class ManifestNode(BaseModel):
    unique_id: str
    name: str
    resource_type: str
    pipeline: str
    materialized: str
    write_mode: str
    relation: dict[str, str]
    tags: list[str]
    description: str | None
    depends_on: list[str]
    columns: list[ManifestColumn]
    original_file_path: str
    sql_file: str | None
    raw_sql: str | None
    compiled_sql: dict[str, str]
    incremental_sql: dict[str, str]
    compiled_path: dict[str, str]
    config: dict[str, Any]
    tests: list[Any]
    checksum: str = Field(description="sha256 of the node's definition; drives state:modified")
    compiled_checksum: str = Field(description="sha256 of the canonical compiled SQL; drives logic drift")
    lineage: NodeRecord | None = Field(
        default=None, description="column-level lineage, one hop (see docs/lineage.md); additive in v1"
    )


class ManifestMetadata(BaseModel):
    odibi_sql_version: str
    generated_at: str
    project: str
    target: str
    env: str | None
    dialects: list[str]
    database: str | None = Field(
        default=None, description="the target's DuckDB file, absolute (what --defer reads); additive in v1"
    )


class Manifest(BaseModel):
    schema_version: str = SCHEMA_VERSION
    metadata: ManifestMetadata
    nodes: dict[str, ManifestNode]
    parent_map: dict[str, list[str]]
    child_map: dict[str, list[str]]


def build_manifest(compiled: CompiledProject, previous: dict[str, Any] | None = None) -> Manifest:
    """The manifest of the whole project: ``compiled``'s nodes, and the others from ``previous`` (the
    manifest being replaced) or their definitions. Nodes are built without validation
    (``model_construct``): their data is already typed, and validating thousands of nested lineage
    records cost more than the rest of the manifest."""
    project = compiled.project
    lineage = build_lineage(compiled)
    compiled_nodes = {
        name: _manifest_node(
            project.config.name, node, node.derived.get(COMPILED_FILES, {}), lineage.nodes.get(name)
        )
        for name, node in compiled.nodes.items()
    }
    kept = _unchanged_entries(compiled, previous)
    nodes = {
        name: compiled_nodes.get(name) or kept.get(name) or _parsed_node(compiled, name)
        for name in compiled.dag.order
        if name in project.nodes
    }
    return Manifest(
        metadata=ManifestMetadata(
            odibi_sql_version=__version__,
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
            project=project.config.name,
            target=project.target_name,
            env=project.env,
            dialects=list(compiled.dialects),
            database=target_database(project),
        ),
        nodes=nodes,
        parent_map={n: sorted(p for p in compiled.dag.parents[n] if p in nodes) for n in nodes},
        child_map={n: sorted(c for c in compiled.dag.children.get(n, ()) if c in nodes) for n in nodes},
    )


def _manifest_node(
    project: str, node: CompiledNode, paths: dict[str, str], lineage: NodeLineage | None
) -> ManifestNode:
    definition = node.definition
    spec = definition.spec
    return ManifestNode.model_construct(
        unique_id=f"{definition.resource_type}.{project}.{node.name}",
        name=node.name,
        resource_type=definition.resource_type,
        pipeline=definition.pipeline,
        materialized=node.materialized.value,
        write_mode=node.write_mode.value,
        relation={"schema": node.relation[0], "table": node.relation[1]},
        tags=list(definition.tags),
        description=spec.description,
        depends_on=list(node.depends_on),
        columns=[_column(column, ctype, spec.columns.get(column)) for column, ctype in node.columns.items()],
        original_file_path=definition.file,
        sql_file=definition.sql_file,
        raw_sql=definition.sql_text,
        compiled_sql=node.sql,
        incremental_sql=node.incremental_sql,
        compiled_path=paths,
        config=flat_config(definition, node.materialized.value),
        tests=spec.tests,
        checksum=node.checksum,
        compiled_checksum=node.compiled_checksum,
        lineage=node_record(lineage) if lineage is not None else None,
    )


def _unchanged_entries(compiled: CompiledProject, previous: dict[str, Any] | None) -> dict[str, ManifestNode]:
    """Entries of ``previous`` whose node and ancestors all have the checksums they have now."""
    if not previous or previous.get("schema_version") != SCHEMA_VERSION:
        return {}
    entries = previous.get("nodes") or {}
    project, dag = compiled.project, compiled.dag
    fields = set(ManifestNode.model_fields)  # an entry written by another version may lack some
    same = {
        n
        for n, e in entries.items()
        if n in project.nodes and e.get("checksum") == project.nodes[n].checksum and fields <= set(e)
    }
    return {
        name: ManifestNode.model_construct(**entries[name])
        for name in same
        if name not in compiled.nodes and dag.ancestors(name) <= same
    }


def _parsed_node(compiled: CompiledProject, name: str) -> ManifestNode:
    """A node this command did not compile, from its definition: no compiled SQL, declared columns."""
    project = compiled.project
    definition = project.nodes[name]
    spec = definition.spec
    materialized = project.materialized(name)
    schema, table = node_relation(definition)
    return ManifestNode.model_construct(
        unique_id=f"{definition.resource_type}.{project.config.name}.{name}",
        name=name,
        resource_type=definition.resource_type,
        pipeline=definition.pipeline,
        materialized=materialized.value,
        write_mode=write_mode(definition, materialized).value,
        relation={"schema": schema, "table": table},
        tags=list(definition.tags),
        description=spec.description,
        depends_on=sorted(compiled.dag.parents[name]),
        columns=[_column(column, declared.type, declared) for column, declared in spec.columns.items()],
        original_file_path=definition.file,
        sql_file=definition.sql_file,
        raw_sql=definition.sql_text,
        compiled_sql={},
        incremental_sql={},
        compiled_path={},
        config=flat_config(definition, materialized.value),
        tests=spec.tests,
        checksum=definition.checksum,
        compiled_checksum="",
        lineage=None,
    )


def target_database(project: Project) -> str | None:
    """The target's DuckDB file, absolute; None for an in-memory database or Spark."""
    target = project.target
    if not isinstance(target, DuckDBTarget) or target.path == ":memory:":
        return None
    return str((project.root / target.path).resolve())


def read_manifest(target_dir: Path) -> dict[str, Any] | None:
    """The manifest in ``target_dir`` as JSON, or None when there is none (or it cannot be read)."""
    try:
        return json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _column(name: str, ctype: str | None, declared: ColumnSpec | None) -> ManifestColumn:
    if declared is None:
        return {"name": name, "type": ctype, "description": None, "tests": [], "sensitive": False}
    return {
        "name": name,
        "type": ctype,
        "description": declared.description,
        "tests": declared.tests,
        "sensitive": declared.sensitive,
    }


def write_manifest(manifest: Manifest, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / "manifest.json"
    tmp = path.with_suffix(".json.tmp")
    # warnings off: constructed nodes hold their lineage as the plain dict the schema describes
    with writing(path):
        tmp.write_text(manifest.model_dump_json(indent=1, warnings=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)  # readers never see a half-written manifest
    return path
