"""The serialized form of lineage (``--format json`` and the manifest's ``lineage``), as pydantic models.

The shipped JSON Schema (``schema/lineage.schema.json``) is exported from ``LineageDocument``;
``write_schema()`` regenerates it and a test keeps the two identical.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from odibi_sql.lineage.graph import Subtype

SCHEMA_VERSION = "odibi-sql/lineage/v1"
SCHEMA_PATH = Path(__file__).parent / "schema" / "lineage.schema.json"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TransformationRecord(_Record):
    """An OpenLineage transformation type."""

    type: Literal["DIRECT", "INDIRECT"]
    subtype: Subtype
    masking: bool = Field(description="the value is obfuscated on the way (a hash, a count)")


class InputRecord(_Record):
    """An upstream column and how it reaches the output."""

    node: str | None = Field(description="the project node holding the column; null outside the project")
    relation: str = Field(description="schema.table of the node, or the file / table outside the project")
    column: str
    transformations: list[TransformationRecord]


class IssueRecord(_Record):
    """Lineage that could not be made exact, and how to fix it."""

    message: str
    hint: str


class ColumnRecord(_Record):
    type: str | None = Field(description="the column's type, when known")
    distance: int | None = Field(default=None, description="hops from the focus column (focused views only)")
    inputs: list[InputRecord]
    issues: list[IssueRecord] = Field(default_factory=list)


class NodeRecord(_Record):
    relation: str
    materialized: str
    columns: dict[str, ColumnRecord]
    dataset: list[InputRecord] = Field(
        description="whole-row influences (JOIN, FILTER, GROUP_BY, SORT): they affect every column"
    )
    issues: list[IssueRecord] = Field(default_factory=list, description="problems not tied to one column")


class FocusRecord(_Record):
    node: str
    column: str | None
    direction: Literal["upstream", "downstream"]
    depth: int | None


class LineageDocument(_Record):
    """``odibi-sql lineage --format json``."""

    schema_version: Literal["odibi-sql/lineage/v1"] = SCHEMA_VERSION
    project: str
    target: str
    focus: FocusRecord | None
    nodes: dict[str, NodeRecord]
    composed: list[InputRecord] = Field(
        default_factory=list,
        description="with one focus column: every column reached, with its end-to-end relation to the focus",
    )


def json_schema() -> dict:
    schema = LineageDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def write_schema(path: Path = SCHEMA_PATH) -> None:
    path.write_text(json.dumps(json_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_schema()
