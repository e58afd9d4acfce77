"""``odibi_project.yaml``: name, targets, connections, vars, defaults, seeds."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from odibi_sql.project.node_spec import TABLE_PATTERN, ColumnSpec, Materialized


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
    """``duckdb``: the embedded engine."""
    path: str = "target/{project}.duckdb"
    """The database file, relative to the project root (``{project}`` is the project's name); ``:memory:`` for a throwaway run."""
    threads: int = Field(4, ge=1)
    """Nodes run at once (``--threads`` overrides it)."""
    settings: dict[str, Any] = Field(default_factory=dict)
    """DuckDB settings applied with ``SET`` when the target opens, e.g. ``memory_limit: 4GB``."""
    retry: RetryConfig = Field(
        default_factory=RetryConfig, description="Retries after transient engine errors."
    )


class SparkTarget(StrictModel):
    """A Spark session: local (``master``), Spark Connect (``remote``) or one passed in by the caller."""

    dialect: Literal["spark"]
    """``spark``: a Spark session."""
    master: str | None = None
    """A master URL for a session started here, e.g. ``local[4]``."""
    remote: str | None = None
    """A Spark Connect URL, e.g. ``sc://host:15002`` (instead of ``master``)."""
    warehouse: str | None = None
    """``spark.sql.warehouse.dir`` of a session started here: where managed tables are written
    (default ``target/spark-warehouse``)."""
    metastore: str | None = None
    """The catalog of a session started here, kept between runs (default ``target/spark-metastore``)."""
    table_format: Literal["delta", "parquet"] = "delta"
    """How tables are written: ``delta`` (needs the ``delta`` extra or a cluster with Delta) or ``parquet``."""
    threads: int = Field(1, ge=1)
    """Nodes run at once (``--threads`` overrides it)."""
    conf: dict[str, str] = Field(default_factory=dict)
    """Spark configuration set on the session, e.g. ``spark.sql.shuffle.partitions: '8'``."""
    retry: RetryConfig = Field(
        default_factory=RetryConfig, description="Retries after transient engine errors."
    )


Target = Annotated[DuckDBTarget | SparkTarget, Field(discriminator="dialect")]


class FilesConnection(StrictModel):
    """A folder of csv / parquet / json files; ``path`` is relative to the project root."""

    type: Literal["files"]
    """``files``: a folder of csv / parquet / json files."""
    path: str
    """The folder, relative to the project root."""


class DuckDBConnection(StrictModel):
    """Another DuckDB database, attached read-only."""

    type: Literal["duckdb"]
    """``duckdb``: another DuckDB database, attached read-only under the connection's name."""
    path: str
    """The database file, relative to the project root; the target's own file reads the target itself."""


Connection = Annotated[FilesConnection | DuckDBConnection, Field(discriminator="type")]


class Defaults(StrictModel):
    materialized: Materialized = Materialized.TABLE
    """The materialization of nodes that do not set one (sources are views, seeds tables)."""
    tags: list[str] = Field(default_factory=list)
    """Tags every node gets, before its pipeline's and its own."""


class SeedConfig(StrictModel):
    """Options for one ``seeds/<name>.csv``; declared column types override inference."""

    description: str | None = None
    """Shown in the report and the manifest."""
    tags: list[str] = Field(default_factory=list)
    """Tags of the seed, for ``--select tag:``."""
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    """Column types (override inference), descriptions and tests."""
    delimiter: str | None = None
    """The csv delimiter when it is not a comma."""
    table: str | None = Field(None, pattern=TABLE_PATTERN)
    """``schema.table`` (or ``table`` in schema ``seeds``) to load into; default ``seeds.<file name>``."""


class LintRuleConfig(StrictModel):
    """One lint rule's setting: ``OD201: {enabled: false}`` or ``OD104: {severity: error}``."""

    enabled: bool = True
    """``false`` turns the rule off."""
    severity: Literal["error", "warning"] | None = None
    """Overrides the rule's severity: ``error`` fails ``odibi-sql lint``, ``warning`` does not."""


class LintConfig(StrictModel):
    """``lint:``: settings per rule, keyed by rule code (e.g. OD104) or name (e.g. unused-cte)."""

    rules: dict[str, LintRuleConfig] = Field(default_factory=dict)
    """Settings per rule, keyed by code (``OD104``) or name (``unused-cte``)."""


class ProjectConfig(StrictModel):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """The project's name (letters, digits, ``_``): in the manifest, the report and ``{project}`` of paths."""
    version: str | None = None
    """Free text, kept in the manifest."""
    sql_dialect: Literal["duckdb", "spark"] = "duckdb"
    """The dialect node SQL is written in (read by the compiler); output dialects follow the target."""
    default_target: str | None = None
    """The target used without ``--target``; else the first of ``targets``."""
    targets: dict[str, Target] = Field(default_factory=dict)
    """Where nodes are built, by name: DuckDB files or Spark sessions."""
    connections: dict[str, Connection] = Field(default_factory=dict)
    """Where sources are read from, by name: folders of files or DuckDB databases."""
    vars: dict[str, Any] = Field(default_factory=dict)
    """Values for ``var('name')`` in SQL; ``--vars`` overrides them for one command."""
    defaults: Defaults = Field(default_factory=Defaults)
    """Settings for nodes that do not set them."""
    seeds: dict[str, SeedConfig] = Field(default_factory=dict)
    """Settings per seed file of ``seeds/`` (keyed by file name without ``.csv``)."""
    lint: LintConfig = Field(default_factory=LintConfig)
    """Settings of ``odibi-sql lint``'s rules."""
    nodes: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per-node overrides merged over the node's definition (useful in env overlays).",
    )
