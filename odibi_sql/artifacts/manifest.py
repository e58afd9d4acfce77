"""``target/manifest.json``: every compiled node with deps, tags, typed columns, SQL and checksums.

The schema is versioned (``schema_version``) and exported as JSON Schema from these models.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from odibi_sql import __version__
from odibi_sql.artifacts.compiled_files import COMPILED_FILES
from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.graph.selection import flat_config
from odibi_sql.lineage.build import build_lineage
from odibi_sql.lineage.formats.json import node_record
from odibi_sql.lineage.graph import NodeLineage
from odibi_sql.lineage.records import NodeRecord
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


class Manifest(BaseModel):
    schema_version: str = SCHEMA_VERSION
    metadata: ManifestMetadata
    nodes: dict[str, ManifestNode]
    parent_map: dict[str, list[str]]
    child_map: dict[str, list[str]]


def build_manifest(compiled: CompiledProject) -> Manifest:
    """The manifest of ``compiled``. Nodes are built without validation (``model_construct``): their
    data is already typed, and validating thousands of nested lineage records cost more than the
    rest of the manifest."""
    project = compiled.project
    lineage = build_lineage(compiled)
    nodes = {
        name: _manifest_node(
            project.config.name, node, node.derived.get(COMPILED_FILES, {}), lineage.nodes.get(name)
        )
        for name, node in compiled.nodes.items()
    }
    return Manifest(
        metadata=ManifestMetadata(
            odibi_sql_version=__version__,
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
            project=project.config.name,
            target=project.target_name,
            env=project.env,
            dialects=list(compiled.dialects),
        ),
        nodes=nodes,
        parent_map={n: sorted(compiled.dag.parents[n]) for n in nodes},
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
    tmp.write_text(manifest.model_dump_json(indent=1, warnings=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # readers never see a half-written manifest
    return path
