"""File sources on Spark: ``read_csv(...)`` / ``read_parquet(...)`` / ``read_json(...)`` become tables.

Spark SQL has no table function that reads files with options, so each reader of a statement is
replaced by an external table over the same files (``CREATE TABLE IF NOT EXISTS
odibi_meta.__odibi_files_<hash> (<columns>) USING csv OPTIONS (path ..., header ...)``), which
views and tables can both read, refreshed once per run so new files are seen. The columns, their types and the csv dialect (delimiter, quote,
header) are the ones DuckDB's reader detects for the same files, so both engines read the same
rows with the same types; csv files are read with ``mode FAILFAST`` (a bad row fails the node, as
on DuckDB).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from odibi_sql.dialect import to_sql
from odibi_sql.plan.batches import META_SCHEMA

_FORMATS = {"read_csv": "csv", "read_csv_auto": "csv", "read_parquet": "parquet", "read_json": "json"}
_NO_VALUE = "(empty)"


class SourceFileError(Exception):
    """The files of a source cannot be described (missing, unreadable)."""


def file_readers(statement: exp.Expression) -> list[exp.Table]:
    """The tables of ``statement`` that read files through a reader function."""
    return [t for t in statement.find_all(exp.Table) if _reader_name(t.this) in _FORMATS]


def _reader_name(node: exp.Expression | None) -> str | None:
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return None


def _reader_args(reader: exp.Expression) -> tuple[str, dict[str, Any]]:
    """The path and the ``key = value`` options of a reader call."""
    args = [reader.this, *reader.expressions] if not isinstance(reader, exp.Anonymous) else reader.expressions
    path, options = "", {}
    for arg in args:
        if isinstance(arg, exp.EQ):
            value = arg.expression
            options[arg.this.name.lower()] = (
                value.to_py() if isinstance(value, exp.Literal | exp.Boolean) else None
            )
        elif isinstance(arg, exp.Literal) and not path:
            path = arg.this
    return path, options


class SourceFiles:
    """Describes (once per adapter) the external table of each file reader and swaps it in."""

    def __init__(self) -> None:
        self._tables: dict[str, exp.Create] = {}  # reader (DuckDB SQL) -> its external table
        self._created: set[str] = set()  # readers whose table was created and refreshed in this run
        self._duck: duckdb.DuckDBPyConnection | None = None

    def resolve(self, statement: exp.Expression) -> tuple[exp.Expression, list[exp.Expression]]:
        """``statement`` with readers replaced, and the statements to run before it: CREATE and
        REFRESH of each external table not yet created in this run (so files added since an earlier
        run are read); ``created`` records that they ran."""
        readers = file_readers(statement)
        if not readers:
            return statement, []
        statement = statement.copy()
        pending: list[exp.Expression] = []
        for table in file_readers(statement):
            key = to_sql(table.this, "duckdb")
            if key not in self._tables:
                self._tables[key] = self._external_table(table.this, key)
            name = self._tables[key].this.this
            if key not in self._created and not any(c is self._tables[key] for c in pending):
                pending += [self._tables[key], exp.Refresh(this=name.copy(), kind="TABLE")]
            external = name.copy()
            if table.alias:
                external.set("alias", table.args["alias"].copy())
            table.replace(external)
        return statement, pending

    def created(self, create: exp.Expression) -> None:
        """``create`` (one returned by ``resolve``) ran: later statements read its table as it is."""
        self._created |= {k for k, v in self._tables.items() if v is create}

    def close(self) -> None:
        if self._duck is not None:
            self._duck.close()

    def _external_table(self, reader: exp.Expression, key: str) -> exp.Create:
        fmt = _FORMATS[_reader_name(reader) or ""]
        path, options = _reader_args(reader)
        columns = self._describe(key)
        spark_options = {"path": str(Path(path))}
        if fmt == "csv":
            spark_options.update(self._csv_dialect(reader, path), mode="FAILFAST")
            if options.get("nullstr") is not None:
                spark_options["nullValue"] = str(options["nullstr"])
        if fmt == "json" and options.get("format") == "array":
            spark_options["multiLine"] = "true"
        digest = hashlib.sha256(f"{key}|{columns}|{spark_options}".encode()).hexdigest()[:16]
        table = exp.table_(f"__odibi_files_{digest}", db=META_SCHEMA, quoted=True)
        definitions = [
            exp.ColumnDef(
                this=exp.to_identifier(name, quoted=True), kind=exp.DataType.build(kind, dialect="duckdb")
            )
            for name, kind in columns
        ]
        properties = [
            exp.FileFormatProperty(this=exp.var(fmt)),
            exp.OptionsProperty(
                expressions=[
                    exp.Property(this=exp.var(k), value=exp.Literal.string(v))
                    for k, v in spark_options.items()
                ]
            ),
        ]
        return exp.Create(
            this=exp.Schema(this=table, expressions=definitions),
            kind="TABLE",
            exists=True,
            properties=exp.Properties(expressions=properties),
        )

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._duck is None:
            self._duck = duckdb.connect()
        return self._duck

    def _describe(self, reader_sql: str) -> list[tuple[str, str]]:
        query = exp.Describe(this=exp.select(exp.Star()).from_(reader_sql, dialect="duckdb"))
        try:
            rows = self._connection().execute(query.sql(dialect="duckdb")).fetchall()
        except duckdb.Error as exc:
            raise SourceFileError(f"cannot read the source's files: {str(exc).splitlines()[0]}") from None
        return [(row[0], row[1]) for row in rows]

    def _csv_dialect(self, reader: exp.Expression, path: str) -> dict[str, str]:
        """Delimiter, quote, escape and header as DuckDB's sniffer sees them with the reader's options."""
        pattern = exp.Table(this=exp.Anonymous(this="glob", expressions=[exp.Literal.string(path)]))
        first = exp.select("file").from_(pattern).order_by("file").limit(1)
        found = self._connection().execute(first.sql(dialect="duckdb")).fetchone()
        if found is None:
            raise SourceFileError(f"no file matches {path}")
        options = (
            reader.expressions if isinstance(reader, exp.Anonymous) else [reader.this, *reader.expressions]
        )
        kept = [a.copy() for a in options if isinstance(a, exp.EQ) and not _duckdb_only(a)]
        sniff = exp.Anonymous(this="sniff_csv", expressions=[exp.Literal.string(found[0]), *kept])
        query = exp.select("Delimiter", "Quote", "Escape", "HasHeader").from_(exp.Table(this=sniff))
        try:
            delimiter, quote, escape, header = (
                self._connection().execute(query.sql(dialect="duckdb")).fetchone()
            )
        except duckdb.Error as exc:
            raise SourceFileError(f"cannot read the csv files {path}: {str(exc).splitlines()[0]}") from None
        dialect = {"sep": delimiter, "header": "true" if header else "false"}
        if quote and quote != _NO_VALUE:
            dialect["quote"] = quote
        if escape and escape != _NO_VALUE:
            dialect["escape"] = escape
        return dialect


def _duckdb_only(arg: exp.Expression) -> bool:
    """Reader options sniff_csv does not take (reject tables, declared types)."""
    return isinstance(arg, exp.EQ) and arg.this.name.lower() in {
        "store_rejects",
        "rejects_table",
        "rejects_scan",
        "types",
        "columns",
    }
