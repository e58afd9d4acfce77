"""Spark: a local session (``master``), Spark Connect (``remote``) or a session the caller already has.

The only module that imports pyspark. A session this adapter started is stopped on ``close``; a
session it found (``use_session`` or the active one, e.g. on Databricks) is left running. Spark has
no transactions: ``begin``/``commit``/``rollback`` do nothing and the planner makes each write
atomic by staging first (``dialects/spark.yaml``: ``supports_transactions: false``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import re
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from sqlglot import exp

from odibi_sql.adapters.base import EngineError
from odibi_sql.adapters.spark_catalog import LocalCatalog
from odibi_sql.adapters.spark_files import SourceFileError, SourceFiles
from odibi_sql.adapters.spark_rows import footer_rows
from odibi_sql.dialect import capabilities, to_sql
from odibi_sql.plan import statements as sql
from odibi_sql.plan.batches import META_SCHEMA
from odibi_sql.plan.state import TargetState
from odibi_sql.project.config import DuckDBConnection, SparkTarget
from odibi_sql.project.loader import Project

_GIVEN: Any = None
_TRANSIENT = ("Connection refused", "UNAVAILABLE", "Py4JNetworkError", "Answer from Java side is empty")
_QUERY_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")  # pyspark logs failed queries
_JAVA_OPTIONS = "spark.driver.extraJavaOptions"
_CHAR = re.compile(r"(var)?char\(\d+\)")
# table formats whose catalog entry holds the table's columns (Delta's are in its log)
_OWN_SCHEMA = {"parquet", "orc", "csv", "json", "avro", "text", "hive"}
_DELTA_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}


def use_session(session: Any) -> None:
    """Run on ``session`` (a SparkSession made by the caller, e.g. ``spark`` in a Databricks job);
    ``None`` goes back to starting one from the target."""
    global _GIVEN
    _GIVEN = session


class SparkAdapter:
    dialect = "spark"

    def __init__(self, project: Project, read_only: bool = False):
        target = project.target
        assert isinstance(target, SparkTarget)
        self.capabilities = capabilities("spark").with_table_format(target.table_format)
        self.spark, self._owned = _open_session(target, project.root, project.target_name)
        try:
            for key, value in self.capabilities.session_settings.items():
                self.spark.conf.set(key, value)
        except Exception as exc:  # the first call to a Spark Connect server that does not answer
            message = _message(exc)
            raise EngineError(
                message, "spark.conf.set", transient=any(t in message for t in _TRANSIENT)
            ) from None
        self._duckdb_connections = {
            name for name, c in project.config.connections.items() if isinstance(c, DuckDBConnection)
        }
        self.files = SourceFiles()
        self.external_catalog = _external_catalog(self.spark)
        # driver and executors in this process: a table's files in a local folder are the ones it reads
        self.local_files = self.external_catalog is not None and self.spark.sparkContext.master.startswith(
            "local"
        )
        if not read_only:
            SparkSession(self).execute(sql.create_schema(META_SCHEMA))

    def session(self) -> SparkSession:
        return SparkSession(self)

    def close(self) -> None:
        self.files.close()
        if self._owned:
            self.spark.stop()


def _open_session(target: SparkTarget, root: Path, name: str) -> tuple[Any, bool]:
    """(session, started here?)"""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.logger import PySparkLogger
    from pyspark.sql import SparkSession as PySparkSession

    for logger in _QUERY_LOGGERS:  # each failure reaches the user once, as a node error
        PySparkLogger.getLogger(logger).setLevel(logging.CRITICAL)

    existing = _GIVEN or PySparkSession.getActiveSession()
    if existing is not None:
        return existing, False
    if target.remote:
        return _connect(PySparkSession, target.remote), True
    catalog = LocalCatalog.of(target, root)
    catalog.check(f"{name} (spark)")
    builder = (
        PySparkSession.builder.master(target.master or "local[*]")
        .appName("odibi-sql")
        .config("spark.ui.showConsoleProgress", "false")  # progress bars would garble the node lines
    )
    if target.table_format == "delta":
        builder = _with_delta(builder)
    settings = catalog.conf()
    for key, value in target.conf.items():
        merge = key == _JAVA_OPTIONS and key in settings
        settings[key] = f"{value} {settings[key]}" if merge else value
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = None
    try:
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("FATAL")  # failures reach the user as node errors, once
        session.catalog.listDatabases()  # opens the catalog now: a locked one fails here, not in a node
    except Exception as exc:  # the JVM did not start (no Java, bad conf) or the catalog did not open
        if session is not None:  # else a retry would find it active and take it for the caller's
            with contextlib.suppress(Exception):
                session.stop()
        raise _start_error(exc, catalog) from None
    catalog.mark()
    return session, True


def _external_catalog(spark: Any) -> Any:
    """The JVM catalog behind two-part names (the Hive metastore or Spark's in-memory one), for
    lookups of many tables at once; None on Spark Connect or when another catalog is current."""
    jsession = getattr(spark, "_jsparkSession", None)
    if jsession is None:
        return None
    try:
        if spark.catalog.currentCatalog() != "spark_catalog":
            return None
        return jsession.sharedState().externalCatalog()
    except Exception:  # not the classic JVM session this expects: look tables up one by one
        return None


def _connect(builder_class: Any, url: str) -> Any:
    try:
        from pyspark.sql.connect.utils import check_dependencies

        check_dependencies()
    except ImportError as exc:
        raise EngineError(
            f"remote: {url} is Spark Connect, which needs more packages: pip install 'odibi-sql[connect]' "
            f"({str(exc).splitlines()[0]})",
            "SparkSession.builder.remote",
        ) from None
    try:
        return builder_class.builder.remote(url).getOrCreate()
    except Exception as exc:  # a malformed URL
        raise EngineError(f"cannot connect to {url}: {_message(exc).splitlines()[0]}", url) from None


def _start_error(exc: Exception, catalog: LocalCatalog) -> EngineError:
    if "Another instance of Derby" in _with_causes(exc):
        return EngineError(
            f"the Spark catalog {catalog.metastore} is open in another process (one at a time)",
            "SparkSession.builder",
            transient=True,
        )
    return EngineError(f"cannot start Spark: {_message(exc).splitlines()[0]}", "SparkSession.builder")


def _with_causes(exc: Exception) -> str:
    """The messages of ``exc`` and of the Java exceptions under it (pyspark shows the first only)."""
    texts = [str(exc)]
    cause = getattr(exc, "_origin", None) or getattr(exc, "java_exception", None)
    with contextlib.suppress(Exception):  # a JVM that is gone has no causes to tell
        while cause is not None and len(texts) < 50:
            texts.append(str(cause.toString()))
            cause = cause.getCause()
    return "\n".join(texts)


def _with_delta(builder: Any) -> Any:
    if importlib.util.find_spec("delta") is None:
        raise EngineError(
            "table_format: delta needs Delta Lake: pip install 'odibi-sql[delta]' (or run on a cluster "
            "that has it), or set table_format: parquet on the target",
            "SparkSession.builder",
        )
    from delta import configure_spark_with_delta_pip

    for key, value in _DELTA_CONF.items():
        builder = builder.config(key, value)
    return configure_spark_with_delta_pip(builder)


class SparkSession:
    """Statements on the adapter's SparkSession (shared by threads; spark.sql is thread-safe)."""

    def __init__(self, adapter: SparkAdapter):
        self._adapter = adapter
        self._spark = adapter.spark

    def render(self, statement: exp.Expression) -> str:
        """The Spark SQL that ``execute`` runs: file readers become external tables, created (and
        refreshed) first where this run has not yet done so."""
        statement, creates = self._resolve(statement)
        return ";\n".join(to_sql(s, "spark") for s in [*creates, statement])

    def _resolve(self, statement: exp.Expression) -> tuple[exp.Expression, list[exp.Expression]]:
        """Swap file readers for external tables; reject DuckDB attachments."""
        for table in statement.find_all(exp.Table):
            if table.catalog and table.catalog in self._adapter._duckdb_connections:
                raise EngineError(
                    f"connection '{table.catalog}' is a DuckDB database, which Spark cannot read; "
                    "export it to parquet and read it through a files connection",
                    to_sql(statement, "spark"),
                )
        try:
            return self._adapter.files.resolve(statement)
        except SourceFileError as exc:
            raise EngineError(str(exc), to_sql(statement, "spark")) from None

    def _prepare(self, statement: exp.Expression) -> exp.Expression:
        """``statement`` ready to run: the external tables it reads created first."""
        statement, creates = self._resolve(statement)
        for create in creates:
            self._run(create)
            self._adapter.files.created(create)
        return statement

    def _run(self, statement: exp.Expression) -> list[tuple[Any, ...]]:
        text = to_sql(statement, "spark")
        try:
            frame = self._spark.sql(text)
            return [tuple(row) for row in frame.collect()] if frame.columns else []
        except Exception as exc:  # pyspark raises many classes (Analysis, Parse, Py4J, Connect)
            message = _message(exc)
            raise EngineError(message, text, transient=any(t in message for t in _TRANSIENT)) from None

    def execute(self, statement: exp.Expression) -> int | None:
        text = to_sql(self._prepare(statement), "spark")
        try:
            frame = self._spark.sql(text)
            affected = "num_affected_rows" in frame.columns  # Delta reports rows written
            rows = frame.select("num_affected_rows").collect() if affected else None
        except Exception as exc:
            message = _message(exc)
            raise EngineError(message, text, transient=any(t in message for t in _TRANSIENT)) from None
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    def query(self, query: exp.Query) -> list[tuple[Any, ...]]:
        return self._run(self._prepare(query))

    def begin(self) -> None:
        """No transactions on Spark: atomicity comes from the plan (stage, then swap)."""

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def state(self, schema: str, table: str) -> TargetState:
        return self.states([(schema, table)])[(schema, table)]

    def states(self, relations: Collection[tuple[str, str]]) -> dict[tuple[str, str], TargetState]:
        """The state of each relation: one catalog call per schema where the JVM catalog is at hand
        (local and cluster sessions), else three lookups per relation (Spark Connect, Delta tables)."""
        out: dict[tuple[str, str], TargetState] = {}
        for schema in sorted({s for s, _ in relations}):
            tables = sorted({t for s, t in relations if s == schema})
            found = self._catalog_states(schema, tables)
            for table in tables:
                state = found.get(table.lower()) if found is not None else None
                out[(schema, table)] = state if state is not None else self._lookup(schema, table)
        return out

    def _catalog_states(self, schema: str, tables: list[str]) -> dict[str, TargetState] | None:
        """Lower-cased table -> state, for the tables whose catalog entry holds their columns (missing
        tables too); None if the catalog cannot be asked this way."""
        catalog = self._adapter.external_catalog
        if catalog is None:
            return None
        jvm = self._spark._jvm
        try:
            names = jvm.PythonUtils.toSeq([t.lower() for t in tables])
            entries = catalog.getTablesByName(schema.lower(), names).iterator()
            out = {t.lower(): TargetState.missing() for t in tables}
            while entries.hasNext():
                entry = entries.next()
                name, kind = entry.identifier().table().lower(), entry.tableType().name()
                if kind == "VIEW":
                    out[name] = TargetState(True, "view", _columns(entry.schema().json()))
                elif str(entry.provider()).removeprefix("Some(").rstrip(")").lower() in _OWN_SCHEMA:
                    out[name] = TargetState(True, "table", _columns(entry.schema().json()))
                else:  # Delta and other formats keep their columns outside the catalog
                    del out[name]
        except Exception:  # the catalog did not answer as expected: look each table up
            return None
        return out

    def stored_rows(self, schema: str, table: str) -> int | None:
        """Rows of an unpartitioned parquet table of a local session, from its files' footers (no
        Spark job); None where Spark has to count them."""
        if not self._adapter.local_files:
            return None
        try:
            entry = self._adapter.external_catalog.getTable(schema.lower(), table.lower())
            if (
                entry.tableType().name() != "MANAGED"
                or str(entry.provider()).lower() != "some(parquet)"
                or not entry.partitionColumnNames().isEmpty()
            ):
                return None
            location = urlparse(entry.location().toString())
        except Exception:  # the catalog did not answer as expected: Spark counts
            return None
        return footer_rows(Path(unquote(location.path))) if location.scheme == "file" else None

    def _lookup(self, schema: str, table: str) -> TargetState:
        name = to_sql(exp.table_(table, db=schema, quoted=True), "spark")
        catalog = self._spark.catalog
        try:
            if not catalog.tableExists(name):
                return TargetState.missing()
            kind = "view" if catalog.getTable(name).tableType in ("VIEW", "TEMPORARY") else "table"
            columns = {c.name: c.dataType for c in catalog.listColumns(name)}
        except Exception as exc:
            raise EngineError(_message(exc), f"catalog lookup of {name}") from None
        return TargetState(True, kind, columns)

    def close(self) -> None:
        pass


def _columns(schema_json: str) -> dict[str, str]:
    """Column -> type from a catalog entry's schema, named as ``Catalog.listColumns`` names them
    (char and varchar columns are strings to Spark)."""
    from pyspark.sql.types import StructType

    schema = StructType.fromJson(json.loads(schema_json, object_hook=_as_string))
    return {f.name: f.dataType.simpleString() for f in schema.fields}


def _as_string(node: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema object with char(n)/varchar(n) types read as string."""
    node.pop("__CHAR_VARCHAR_TYPE_STRING", None)
    for key in ("type", "elementType", "keyType", "valueType"):
        if isinstance(node.get(key), str) and _CHAR.fullmatch(node[key]):
            node[key] = "string"
    return node


def _message(exc: Exception) -> str:
    """The engine's message without the JVM stack trace."""
    lines = [line for line in str(exc).splitlines() if line.strip() and not line.startswith("\tat ")]
    return "\n".join(lines[:6]) or type(exc).__name__
