"""What a target dialect can do, loaded from ``dialects/<name>.yaml``.

The planner reads these flags to choose how a node is materialized (one MERGE statement or a
staged fallback, a transaction or a staging swap, ``INSERT OVERWRITE`` or delete + insert) and
the lowering reads ``type_names`` / ``unsupported_types``. Every key is documented in the YAML
files themselves; this module only validates them (unknown keys are an error).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache

import yaml
from pydantic import BaseModel, Field

from odibi_sql.resources import data_dir


class InsertOverwriteStrategy(StrEnum):
    """How a dialect replaces the rows of an existing table (or of some partitions of it)."""

    DELETE_INSERT = "delete_insert"
    """``DELETE FROM t [WHERE ...]`` then ``INSERT INTO t ...``, inside one transaction."""
    INSERT_OVERWRITE = "insert_overwrite"
    """``INSERT OVERWRITE t [PARTITION (...)] SELECT ...`` in one statement."""


class UpsertStrategy(StrEnum):
    """How a dialect runs ``merge`` with ``strategy: upsert`` on a table that supports MERGE."""

    MERGE = "merge"
    """One ``MERGE INTO ... WHEN MATCHED THEN UPDATE ... WHEN NOT MATCHED THEN INSERT``."""
    DELETE_INSERT = "delete_insert"
    """The new and changed rows staged (keeping what they replace needs), the rows with their keys
    deleted, then inserted, in one transaction: where MERGE's updates are slow."""


class NullOrdering(StrEnum):
    """Where NULLs sort when a query does not say (sqlglot's ``NULL_ORDERING`` names)."""

    NULLS_ARE_LAST = "nulls_are_last"
    NULLS_ARE_SMALL = "nulls_are_small"
    NULLS_ARE_LARGE = "nulls_are_large"


class TableFormatCapabilities(BaseModel, frozen=True, extra="forbid"):
    """The statements a storage format allows on top of the dialect's SQL."""

    supports_merge: bool
    supports_merge_by_source_delete: bool
    supports_create_or_replace_table: bool
    supports_update_delete: bool
    supports_partition_by: bool
    supports_drop_column: bool


class Capabilities(BaseModel, frozen=True, extra="forbid"):
    """The capabilities of one dialect, as declared in ``dialects/<name>.yaml``.

    The top-level ``supports_*`` flags describe tables of ``default_table_format``; use
    :meth:`with_table_format` for a target that writes another format.
    """

    name: str
    sqlglot_dialect: str
    description: str = ""
    supports_merge: bool
    supports_merge_by_source_delete: bool
    supports_merge_star: bool
    merge_duplicate_source_rows: str
    supports_transactions: bool
    supports_transactional_ddl: bool
    supports_create_or_replace_table: bool
    supports_temporary_tables: bool
    supports_reject_tables: bool
    supports_file_readers: bool
    supports_create_or_replace_view: bool
    supports_update_delete: bool
    supports_partition_by: bool
    supports_drop_column: bool
    supports_rename_table: bool
    supports_insert_by_name: bool
    supports_schemas: bool
    supports_star_exclude: bool
    supports_star_replace: bool
    supports_qualify: bool
    insert_overwrite: InsertOverwriteStrategy
    insert_overwrite_reads_target: bool
    upsert: UpsertStrategy
    default_table_format: str | None
    table_formats: dict[str, TableFormatCapabilities] = Field(default_factory=dict)
    null_ordering: NullOrdering
    session_settings: dict[str, str] = Field(default_factory=dict)
    type_names: dict[str, str] = Field(default_factory=dict)
    reserved_words: frozenset[str] = frozenset()
    bare_identifier: re.Pattern[str] | None = None
    """What an unquoted identifier may look like (None: the generator knows)."""
    unsupported_types: dict[str, str] = Field(default_factory=dict)

    def with_table_format(self, table_format: str | None) -> Capabilities:
        """These capabilities for tables stored as ``table_format`` (None: the default format)."""
        fmt = table_format or self.default_table_format
        if fmt is None or (fmt == self.default_table_format and fmt not in self.table_formats):
            return self
        if fmt not in self.table_formats:
            known = ", ".join(sorted(self.table_formats)) or "(none)"
            raise ValueError(f"dialect {self.name!r} has no table format {fmt!r}; known formats: {known}")
        return self.model_copy(update={**self.table_formats[fmt].model_dump(), "default_table_format": fmt})


@cache
def known_dialects() -> tuple[str, ...]:
    """The names of the dialects shipped in ``dialects/``, sorted."""
    return tuple(sorted(path.stem for path in data_dir("dialects").glob("*.yaml")))


@cache
def capabilities(dialect: str) -> Capabilities:
    """The capabilities of ``dialect`` (cached); an unknown name raises ValueError listing the known ones."""
    known = known_dialects()
    if dialect not in known:
        raise ValueError(f"unknown dialect {dialect!r}; known dialects: {', '.join(known)}")
    path = data_dir("dialects") / f"{dialect}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    caps = Capabilities.model_validate(data)
    if caps.name != dialect:
        raise ValueError(f"{path}: name {caps.name!r} does not match the file name {dialect!r}")
    return caps
