"""File readers as tables, for dialects whose SQL has no reader function with options (Spark).

Each ``read_csv(...)`` / ``read_parquet(...)`` / ``read_json(...)`` of a statement is replaced by an
external table over the same files (``CREATE TABLE IF NOT EXISTS odibi_meta.__odibi_files_<hash>
(<columns>) USING csv OPTIONS (path ..., header ...)``), which views and tables can both read. The
columns, their types and the csv dialect (delimiter, quote, header) are the ones DuckDB's reader
detects for the same files (described here on an in-memory DuckDB), so both engines read the same
rows with the same types; csv files are read with ``mode FAILFAST`` (a bad row fails the node, as
on DuckDB). The compiler writes these statements to ``target/compiled/spark``; the Spark adapter
runs them (``adapters.spark_files``).

A csv reader with ``all_varchar = true, store_rejects = true`` (the text read of a dead letter,
``compile.csv_text``) is read ``PERMISSIVE`` instead, every column as text, and becomes a subquery adding what the dead
letter needs to tell bad rows from good ones: the file, the number of fields of the record (counted
on its raw text, which Spark keeps for a record whose count is off), and the record's text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from odibi_sql.compile.csv_text import FIELDS_COLUMN, FILE_COLUMN, FILLED_COLUMN, LINE_COLUMN
from odibi_sql.compile.relations import META_SCHEMA
from odibi_sql.dialect import to_sql

_FORMATS = {"read_csv": "csv", "read_csv_auto": "csv", "read_parquet": "parquet", "read_json": "json"}
_NO_VALUE = "(empty)"
_RECORD = "__odibi_record"
"""The column Spark fills with a record's raw text when its number of fields is off."""


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


@dataclass(frozen=True)
class FileTable:
    """The external table of one reader, and what a statement reads in the reader's place (the
    table, or for a text reader the subquery over it)."""

    create: exp.Create
    read: exp.Expression

    @property
    def refresh(self) -> exp.Refresh:
        """``REFRESH TABLE``: files added since the table was created are read."""
        return exp.Refresh(this=self.create.this.this.copy(), kind="TABLE")


class FileTables:
    """Describes (once) the external table of each file reader, on an in-memory DuckDB."""

    def __init__(self) -> None:
        self._tables: dict[str, FileTable] = {}  # reader (DuckDB SQL) -> its table
        self._duck: duckdb.DuckDBPyConnection | None = None

    def resolve(self, statement: exp.Expression) -> tuple[exp.Expression, list[FileTable]]:
        """``statement`` with its readers replaced, and their tables (each once, in order)."""
        if not file_readers(statement):
            return statement, []
        statement = statement.copy()
        used: list[FileTable] = []
        for table in file_readers(statement):
            key = to_sql(table.this, "duckdb")
            if key not in self._tables:
                self._tables[key] = self._external_table(table.this, key)
            found = self._tables[key]
            if found not in used:
                used.append(found)
            read = found.read.copy()
            if table.alias:
                read.set("alias", table.args["alias"].copy())
            table.replace(read)
        return statement, used

    def statements(self, statement: exp.Expression) -> list[exp.Expression]:
        """What runs for ``statement``: each table's CREATE and REFRESH, then the statement."""
        resolved, tables = self.resolve(statement)
        return [*(s for t in tables for s in (t.create, t.refresh)), resolved]

    def close(self) -> None:
        if self._duck is not None:
            self._duck.close()
            self._duck = None

    def _external_table(self, reader: exp.Expression, key: str) -> FileTable:
        fmt = _FORMATS[_reader_name(reader) or ""]
        path, options = _reader_args(reader)
        columns = self._describe(key)
        names = [name for name, _ in columns]
        text = fmt == "csv" and options.get("all_varchar") is True and options.get("store_rejects") is True
        spark_options = {"path": str(Path(path))}
        dialect: dict[str, str] = {}
        if fmt == "csv":
            dialect = self._csv_dialect(reader, path)
            spark_options.update(dialect, mode="FAILFAST")
            if options.get("nullstr") is not None:
                spark_options["nullValue"] = str(options["nullstr"])
        if text:  # every record kept, with its raw text where its number of fields is off
            spark_options.update(mode="PERMISSIVE", columnNameOfCorruptRecord=_RECORD, multiLine="true")
            columns = [*columns, (_RECORD, "VARCHAR")]
        if fmt == "json" and options.get("format") == "array":
            spark_options["multiLine"] = "true"
        digest = hashlib.sha256(f"{key}|{columns}|{spark_options}".encode()).hexdigest()[:16]
        table = exp.table_(f"__odibi_files_{digest}", db=META_SCHEMA, quoted=True)
        read: exp.Expression = table.copy()
        if text:
            read = exp.Subquery(this=_text_rows(table, names, dialect))
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
        create = exp.Create(
            this=exp.Schema(this=table, expressions=definitions),
            kind="TABLE",
            exists=True,
            properties=exp.Properties(expressions=properties),
        )
        return FileTable(create, read)

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
    """Reader options sniff_csv does not take (reject tables, declared types); ``store_rejects`` it
    takes, and sniffs past bad rows with it."""
    return isinstance(arg, exp.EQ) and arg.this.name.lower() in {
        "rejects_table",
        "rejects_scan",
        "types",
        "columns",
    }


def _text_rows(table: exp.Table, names: list[str], dialect: dict[str, str]) -> exp.Select:
    """The text columns of ``table`` with the file, the record's fields (all, and up to its last
    non-empty one: DuckDB ignores empty fields past the last column) and its text. Spark keeps the
    text of a record whose field count is off; for the others it is their fields joined again."""
    record, delimiter = exp.column(_RECORD, quoted=True), dialect["sep"]
    counted = record
    if dialect.get("quote"):  # a quoted section (separators inside it do not count) -> one letter
        counted = _regexp_replace(record, _quoted_pattern(dialect), "0" if delimiter != "0" else "1")
    trailing = "(?:" + _regex_chars(delimiter) + ")+$"
    whole = exp.Literal.number(len(names))

    def fields(text: exp.Expression) -> exp.Expression:
        separators = exp.Sub(
            this=exp.Length(this=text),
            expression=exp.Length(
                this=exp.func("replace", text.copy(), exp.Literal.string(delimiter), exp.Literal.string(""))
            ),
        )
        if len(delimiter) > 1:
            separators = exp.IntDiv(this=exp.paren(separators), expression=exp.Literal.number(len(delimiter)))
        count = exp.Add(this=separators, expression=exp.Literal.number(1))
        return exp.Case(
            ifs=[exp.If(this=exp.Is(this=record.copy(), expression=exp.null()), true=whole.copy())],
            default=count,
        )

    joined = exp.Anonymous(
        this="concat_ws",
        expressions=[
            exp.Literal.string(delimiter),
            *(
                exp.Coalesce(this=exp.column(n, quoted=True), expressions=[exp.Literal.string("")])
                for n in names
            ),
        ],
    )
    path = _regexp_replace(exp.Anonymous(this="input_file_name"), "^file:(?://)?", "")
    plus_kept = exp.func("replace", path, exp.Literal.string("+"), exp.Literal.string("%2B"))
    return exp.select(
        *(exp.column(n, quoted=True) for n in names),
        exp.alias_(exp.Anonymous(this="url_decode", expressions=[plus_kept]), FILE_COLUMN, quoted=True),
        exp.alias_(fields(counted), FIELDS_COLUMN, quoted=True),
        exp.alias_(fields(_regexp_replace(counted.copy(), trailing, "")), FILLED_COLUMN, quoted=True),
        exp.alias_(exp.Coalesce(this=record.copy(), expressions=[joined]), LINE_COLUMN, quoted=True),
    ).from_(table.copy())


def _regexp_replace(text: exp.Expression, pattern: str, replacement: str) -> exp.Expression:
    """Every match replaced (Spark's ``regexp_replace``; a Java regular expression)."""
    return exp.Anonymous(
        this="regexp_replace",
        expressions=[text, exp.Literal.string(pattern), exp.Literal.string(replacement)],
    )


def _quoted_pattern(dialect: dict[str, str]) -> str:
    quote, escape = _regex_chars(dialect["quote"]), dialect.get("escape")
    if not escape or escape == dialect["quote"]:  # a quote inside is doubled: "a""b" is two sections
        return f"{quote}[^{quote}]*{quote}"
    escape = _regex_chars(escape)
    return f"{quote}(?:[^{quote}{escape}]|{escape}.)*{quote}"


def _regex_chars(text: str) -> str:
    """``text`` as a Java regular expression matching it literally (each character by its code)."""
    return "".join(f"\\x{{{ord(c):x}}}" for c in text)
