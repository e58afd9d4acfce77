"""``odibi_project.yaml``: name, targets, connections, vars, defaults, seeds."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from odibi_sql.project.node_spec import ColumnSpec, Materialized


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RetryConfig(StrictModel):
    """``retry:``: how a node is run again after a transient engine error (a locked database file,
    a write conflict, an I/O error, a lost connection); errors in the data or the SQL never are."""

    max_retries: int = Field(
        2, ge=0, le=20, description="Runs after the first failed one; 0 turns retries off."
    )
    backoff_seconds: float = Field(
        0.5, ge=0, le=600, description="Wait before the first retry; it doubles before each next one."
    )


class DuckDBTarget(StrictModel):
    """The embedded default: a DuckDB file (``:memory:`` for a throwaway run)."""

    dialect: Literal["duckdb"] = "duckdb"
    path: str = "target/{project}.duckdb"
    threads: int = Field(4, ge=1)
    settings: dict[str, Any] = Field(default_factory=dict)
    retry: RetryConfig = Field(
        default_factory=RetryConfig, description="Retries after transient engine errors."
    )


class SparkTarget(StrictModel):
    """A Spark session: local (``master``), Spark Connect (``remote``) or one passed in by the caller."""

    dialect: Literal["spark"]
    master: str | None = None
    remote: str | None = None
    warehouse: str | None = None
    table_format: Literal["delta", "parquet"] = "delta"
    threads: int = Field(1, ge=1)
    conf: dict[str, str] = Field(default_factory=dict)
    retry: RetryConfig = Field(
        default_factory=RetryConfig, description="Retries after transient engine errors."
    )


Target = Annotated[DuckDBTarget | SparkTarget, Field(discriminator="dialect")]


class FilesConnection(StrictModel):
    """A folder of csv / parquet / json files; ``path`` is relative to the project root."""

    type: Literal["files"]
    path: str


class DuckDBConnection(StrictModel):
    """Another DuckDB database, attached read-only."""

    type: Literal["duckdb"]
    path: str


Connection = Annotated[FilesConnection | DuckDBConnection, Field(discriminator="type")]


class Defaults(StrictModel):
    materialized: Materialized = Materialized.TABLE
    tags: list[str] = Field(default_factory=list)


class SeedConfig(StrictModel):
    """Options for one ``seeds/<name>.csv``; declared column types override inference."""

    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    delimiter: str | None = None
    table: str | None = None


class LintRuleConfig(StrictModel):
    """One lint rule's setting: ``OD201: {enabled: false}`` or ``OD104: {severity: error}``."""

    enabled: bool = True
    severity: Literal["error", "warning"] | None = None


class LintConfig(StrictModel):
    """``lint:``: settings per rule, keyed by rule code (e.g. OD104) or name (e.g. unused-cte)."""

    rules: dict[str, LintRuleConfig] = Field(default_factory=dict)


class ProjectConfig(StrictModel):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    version: str | None = None
    sql_dialect: Literal["duckdb", "spark"] = "duckdb"
    default_target: str | None = None
    targets: dict[str, Target] = Field(default_factory=dict)
    connections: dict[str, Connection] = Field(default_factory=dict)
    vars: dict[str, Any] = Field(default_factory=dict)
    defaults: Defaults = Field(default_factory=Defaults)
    seeds: dict[str, SeedConfig] = Field(default_factory=dict)
    lint: LintConfig = Field(default_factory=LintConfig)
    nodes: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per-node overrides merged over the node's definition (useful in env overlays).",
    )
