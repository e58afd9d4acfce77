"""Sources and seeds: the query that reads them and their columns (declared, or read from the files).

Column discovery binds the read query on an in-memory DuckDB (``DESCRIBE``), which reads only
file headers / catalog entries, so it stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from odibi_sql.diagnostics import Diagnostic
from odibi_sql.project.config import DuckDBConnection, FilesConnection
from odibi_sql.project.loader import NodeDef, Project

_READERS = {"csv": "read_csv", "parquet": "read_parquet", "json": "read_json"}


class SourceError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


def read_expression(project: Project, node: NodeDef) -> exp.Expression:
    """The canonical (DuckDB) table expression reading a source node's data."""
    read = node.spec.read
    assert read is not None
    if node.resource_type == "seed":
        options = {"header": True, **_seed_options(node), **dead_letter_options(node)}
        return _file_reader("csv", project.root / read.path, options)
    connection = project.config.connections.get(read.connection)
    if connection is None:
        raise SourceError(
            Diagnostic(
                f"read.connection '{read.connection}' is not defined",
                node.locate("read", "connection"),
                node=node.name,
                hint=f"add it under connections: in odibi_project.yaml (known: {', '.join(project.config.connections) or 'none'})",
            )
        )
    if isinstance(connection, FilesConnection):
        if read.format == "table":
            raise SourceError(
                Diagnostic(
                    f"connection '{read.connection}' holds files: use format csv, parquet or json",
                    node.locate("read", "format"),
                    node=node.name,
                )
            )
        options = {**read.options, **dead_letter_options(node)}
        return _file_reader(read.format, project.root / connection.path / read.path, options)
    assert isinstance(connection, DuckDBConnection)
    return attached_table(read.connection, read.table or node.name)


def attached_table(connection: str, table: str) -> exp.Table:
    """A table of an attached database: ``<connection>.<table>`` (schema-qualified names allowed)."""
    parts = table.split(".")
    return exp.table_(parts[-1], db=parts[0] if len(parts) > 1 else None, catalog=connection, quoted=True)


def attach_statement(name: str, path: Path, read_only: bool = True) -> exp.Expression:
    """``ATTACH '<path>' AS <name> (READ_ONLY)`` as an AST (without the option: read-write)."""
    return exp.Attach(
        this=exp.alias_(exp.Literal.string(str(path)), exp.to_identifier(name, quoted=True)),
        exists=True,
        expressions=[exp.AttachOption(this=exp.var("READ_ONLY"))] if read_only else None,
    )


def _file_reader(fmt: str, path: Path, options: dict[str, Any]) -> exp.Table:
    args: list[exp.Expression] = [exp.Literal.string(path.as_posix())]
    for key, value in options.items():
        args.append(exp.EQ(this=exp.column(key), expression=_option_value(value)))
    return exp.Table(this=exp.Anonymous(this=_READERS[fmt], expressions=args))


def _option_value(value: Any) -> exp.Expression:
    """A reader option's value; mappings are struct literals (``types = {'a': 'INT'}``)."""
    if isinstance(value, dict):
        return exp.Struct(
            expressions=[
                exp.PropertyEQ(this=exp.Literal.string(k), expression=_option_value(v))
                for k, v in value.items()
            ]
        )
    return exp.convert(value)


def keeps_rejected_rows(node: NodeDef) -> bool:
    """Seeds, and csv sources with ``on_error: dead_letter``, keep unparsable rows aside."""
    read = node.spec.read
    return read is not None and (node.resource_type == "seed" or read.on_error == "dead_letter")


def dead_letter_options(node: NodeDef) -> dict[str, Any]:
    """Reader options that skip unparsable rows into DuckDB's reject tables (declared types are
    applied while reading, so a value that does not cast is rejected, not fatal)."""
    if not keeps_rejected_rows(node):
        return {}
    declared = declared_types(node)
    return {"store_rejects": True, **({"types": declared} if declared else {})}


def _seed_options(node: NodeDef) -> dict[str, Any]:
    config = node.seed_config
    return {"delim": config.delimiter} if config and config.delimiter else {}


def source_query(project: Project, node: NodeDef) -> exp.Select:
    """``SELECT *`` from the source, with declared column types applied as casts."""
    return exp.select(exp.Star()).from_(read_expression(project, node))


def declared_types(node: NodeDef) -> dict[str, str]:
    return {name: spec.type for name, spec in node.spec.columns.items() if spec.type}


class CatalogReader:
    """Reads column names and types of sources on one in-memory DuckDB connection."""

    def __init__(self, project: Project):
        self.project = project
        self._con: duckdb.DuckDBPyConnection | None = None
        self._attached: set[str] = set()
        self._described: dict[str, list[tuple]] = {}

    def prefetch(self, queries: Iterable[exp.Expression]) -> None:
        """Describe many sources at once, on a few cursors (DuckDB reads files without the GIL).

        A query that fails is left out; ``columns`` runs it again and reports the error.
        """
        todo = list(dict.fromkeys(self._describe_sql(q) for q in queries))
        if not todo:
            return  # no source: no connection to open
        con = self._connection()

        def describe(sql: str) -> tuple[str, list[tuple] | None]:
            cursor = con.cursor()
            try:
                return sql, cursor.execute(sql).fetchall()
            except duckdb.Error:
                return sql, None
            finally:
                cursor.close()

        with ThreadPoolExecutor(max_workers=min(4, len(todo))) as pool:
            for sql, rows in pool.map(describe, todo):
                if rows is not None:
                    self._described[sql] = rows

    def columns(self, query: exp.Expression, node: str, location) -> dict[str, str]:
        sql = self._describe_sql(query)
        rows = self._described.get(sql)
        if rows is None:
            try:
                rows = self._connection().execute(sql).fetchall()
            except duckdb.Error as exc:
                raise SourceError(
                    Diagnostic(
                        f"cannot read the source's columns: {str(exc).splitlines()[0]}",
                        location,
                        node=node,
                        hint="check the path/table and options; to compile without the data, declare"
                        " every column with a type, or commit source_schemas.yaml written by"
                        " `odibi-sql sources snapshot` where the data is",
                    )
                ) from None
        return {row[0]: row[1] for row in rows}

    def _describe_sql(self, query: exp.Expression) -> str:
        for table in query.find_all(exp.Table):
            if table.catalog and table.catalog not in self._attached:
                self._attach(table.catalog)
        return exp.Describe(this=query).sql(dialect="duckdb")

    def _attach(self, name: str) -> None:
        connection = self.project.config.connections.get(name)
        if isinstance(connection, DuckDBConnection):
            path = self.project.root / connection.path
            self._connection().execute(attach_statement(name, path).sql(dialect="duckdb"))
            self._attached.add(name)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = duckdb.connect()
        return self._con

    def close(self) -> None:
        """Close the connection (a later read opens a new one; the described columns are kept)."""
        if self._con is not None:
            self._con.close()
            self._con = None
            self._attached.clear()
