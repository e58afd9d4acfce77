"""A pipeline file and its nodes, as the user writes them in ``pipelines/*.yaml``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"


class Materialized(StrEnum):
    VIEW = "view"
    TABLE = "table"
    INCREMENTAL = "incremental"
    EPHEMERAL = "ephemeral"


class WriteMode(StrEnum):
    OVERWRITE = "overwrite"
    APPEND = "append"
    MERGE = "merge"
    DELETE_INSERT = "delete_insert"
    INSERT_OVERWRITE = "insert_overwrite"


class MergeStrategy(StrEnum):
    UPSERT = "upsert"
    APPEND_ONLY = "append_only"
    DELETE_MATCH = "delete_match"


class OnSchemaChange(StrEnum):
    FAIL = "fail"
    APPEND_NEW_COLUMNS = "append_new_columns"
    SYNC_ALL_COLUMNS = "sync_all_columns"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class WriteSpec(_Strict):
    """Where and how a node's result is written."""

    table: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
    mode: WriteMode | None = None
    strategy: MergeStrategy = MergeStrategy.UPSERT
    unique_key: list[str] = Field(default_factory=list)
    hwm_column: str | None = None
    first_run_query: str | None = None
    audit_columns: bool = False
    partition_by: list[str] = Field(default_factory=list)
    cluster_by: list[str] = Field(default_factory=list)
    on_schema_change: OnSchemaChange = OnSchemaChange.FAIL

    _lists = field_validator("unique_key", "partition_by", "cluster_by", mode="before")(_as_list)


class ReadSpec(_Strict):
    """A source: files of a ``files`` connection, or a table of an attached database."""

    connection: str
    format: Literal["csv", "parquet", "json", "table"] = "csv"
    path: str | None = None
    table: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    on_error: Literal["fail", "dead_letter"] = "fail"
    """csv only: ``dead_letter`` keeps rows that fail to parse in ``<table>__rejected`` instead of failing."""

    @model_validator(mode="after")
    def _path_or_table(self) -> ReadSpec:
        if self.on_error == "dead_letter" and self.format != "csv":
            raise ValueError("on_error: dead_letter works for format csv only")
        if self.format == "table" and not self.table:
            raise ValueError("format 'table' needs 'table: <schema.table>'")
        if self.format != "table" and not self.path:
            raise ValueError(f"format '{self.format}' needs 'path: <file or glob>'")
        return self


class ColumnSpec(_Strict):
    description: str | None = None
    type: str | None = None
    tests: list[str | dict[str, Any]] = Field(default_factory=list)
    sensitive: bool = False


class NodeSpec(_Strict):
    """One node: a source (``read``), or a model built from ``sql`` and/or ``transform`` steps."""

    name: str = Field(pattern=NAME_PATTERN)
    description: str | None = None
    inputs: list[str] = Field(default_factory=list)
    sql: str | None = None
    transform: list[dict[str, Any]] = Field(default_factory=list)
    read: ReadSpec | None = None
    materialized: Materialized | None = None
    write: WriteSpec = Field(default_factory=WriteSpec)
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    tests: list[str | dict[str, Any]] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True
    meta: dict[str, Any] = Field(default_factory=dict)

    _lists = field_validator("inputs", "tags", mode="before")(_as_list)

    @model_validator(mode="after")
    def _has_a_body(self) -> NodeSpec:
        if self.read and (self.sql or self.transform):
            raise ValueError("a node reads a source ('read') or computes ('sql'/'transform'), not both")
        if not self.read and not self.sql and not self.inputs:
            raise ValueError("a node needs 'sql', 'read', or 'inputs' (with 'transform' steps)")
        return self


class PipelineFile(_Strict):
    pipeline: str = Field(pattern=NAME_PATTERN)
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    nodes: list[NodeSpec] = Field(default_factory=list)
