"""A pipeline file and its nodes, as the user writes them in ``pipelines/*.yaml``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
TABLE_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"
"""``table`` or ``schema.table``."""


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

    table: str | None = Field(None, pattern=TABLE_PATTERN)
    """``schema.table`` (or ``table`` in the pipeline's schema) to write to; default ``<pipeline>.<node>``."""
    mode: WriteMode | None = None
    """How rows are written: ``overwrite`` (tables and views), ``append``, ``merge``, ``delete_insert``, ``insert_overwrite``; default: ``merge`` for an incremental node with ``unique_key``, else ``append``, else ``overwrite``."""
    strategy: MergeStrategy = MergeStrategy.UPSERT
    """For ``merge``: ``upsert`` (update and insert), ``append_only`` (insert new keys only), ``delete_match`` (delete the matching rows)."""
    unique_key: list[str] = Field(default_factory=list)
    """The column(s) identifying a row, for ``merge`` and ``delete_insert``; checked unique in the incoming rows."""
    hwm_column: str | None = None
    """The column that grows with new data (e.g. ``updated_at``): incremental runs read rows past the target's maximum."""
    first_run_query: str | None = None
    """SQL used instead of the node's SQL when the target does not exist yet (or with ``--full-refresh``)."""
    audit_columns: bool = False
    """Adds ``created_at`` and ``updated_at`` columns, kept by merges."""
    partition_by: list[str] = Field(default_factory=list)
    """Partition columns (Spark tables)."""
    cluster_by: list[str] = Field(default_factory=list)
    """Clustering / Z-order columns (Delta tables on Spark)."""
    on_schema_change: OnSchemaChange = OnSchemaChange.FAIL
    """When the query's columns differ from the target's: ``fail``, ``append_new_columns`` or ``sync_all_columns``."""

    _lists = field_validator("unique_key", "partition_by", "cluster_by", mode="before")(_as_list)


class ReadSpec(_Strict):
    """A source: files of a ``files`` connection, or a table of an attached database."""

    connection: str
    """The connection (of ``connections:``) to read from."""
    format: Literal["csv", "parquet", "json", "table"] = "csv"
    """``csv``, ``parquet``, ``json`` (files) or ``table`` (a database connection)."""
    path: str | None = None
    """File or glob under the connection's folder (file formats)."""
    table: str | None = None
    """``schema.table`` or ``table`` of the database connection (``format: table``)."""
    options: dict[str, Any] = Field(default_factory=dict)
    """Reader options passed to DuckDB's reader, e.g. ``{header: true, delim: ';'}``."""
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
    """Shown in the report and the manifest; may be ``{{ doc('name') }}`` (a docs block)."""
    type: str | None = None
    """The column's type: applied as a cast on sources and seeds; on models, a contract checked at compile time."""
    tests: list[str | dict[str, Any]] = Field(default_factory=list)
    """Data tests of this column: ``unique``, ``not_null``, ``accepted_values``, ``relationships``, ``expression`` (see below)."""
    sensitive: bool = False
    """Values are shown as ``***`` in test samples, messages and the report (here and downstream)."""


class NodeSpec(_Strict):
    """One node: a source (``read``), or a model built from ``sql`` and/or ``transform`` steps."""

    name: str = Field(pattern=NAME_PATTERN)
    """The node's name (letters, digits, ``_``), unique in the project; ``ref('name')`` reads it."""
    description: str | None = None
    """Shown in the report and the manifest; may be ``{{ doc('name') }}`` (a docs block)."""
    inputs: list[str] = Field(default_factory=list)
    """Nodes this node reads besides its refs (the input of ``transform`` steps when there is no ``sql``)."""
    sql: str | None = None
    """The node's query, inline or a path to a ``.sql`` file (relative to the project root), with Jinja."""
    transform: list[dict[str, Any]] = Field(default_factory=list)
    """Standard transform steps applied in order after the SQL (see transforms.md)."""
    read: ReadSpec | None = None
    """Makes the node a source reading files or a table."""
    materialized: Materialized | None = None
    """``view``, ``table``, ``incremental`` or ``ephemeral`` (inlined as a CTE); default from ``defaults``."""
    write: WriteSpec = Field(default_factory=WriteSpec)
    """Where and how the result is written."""
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    """Columns: types, descriptions, tests, sensitivity."""
    tests: list[str | dict[str, Any]] = Field(default_factory=list)
    """Data tests of the whole node (``unique`` over columns, ``expression``, ...)."""
    tags: list[str] = Field(default_factory=list)
    """Tags for ``--select tag:``, added to the pipeline's and the defaults'."""
    enabled: bool = True
    """``false`` leaves the node out of every command."""
    meta: dict[str, Any] = Field(default_factory=dict)
    """Free-form metadata, kept in the manifest."""
    portability: Literal["checked", "unchecked"] = "checked"
    """``unchecked``: compile this node for Spark even where a construct is not proven to give
    DuckDB's result there (see docs/spark.md); every compile then warns that it is unchecked."""

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
    """The pipeline's name: the default schema of its nodes and ``--select pipeline:``."""
    description: str | None = None
    """What the pipeline is for."""
    tags: list[str] = Field(default_factory=list)
    """Tags every node of the file gets."""
    nodes: list[NodeSpec] = Field(default_factory=list)
    """The nodes of the pipeline."""
