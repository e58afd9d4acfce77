"""File sources on Spark: ``read_csv(...)`` / ``read_parquet(...)`` / ``read_json(...)`` become tables.

Spark SQL has no table function that reads files with options, so each reader of a statement is
replaced by an external table over the same files (``CREATE TABLE IF NOT EXISTS
odibi_meta.__odibi_files_<hash> (<columns>) USING csv OPTIONS (path ..., header ...)``), which
views and tables can both read, refreshed once per run so new files are seen. The columns, their types and the csv dialect (delimiter, quote,
header) are the ones DuckDB's reader detects for the same files, so both engines read the same
rows with the same types; csv files are read with ``mode FAILFAST`` (a bad row fails the node, as
on DuckDB).

A csv reader with ``store_rejects = true`` (the text read of a dead letter, ``plan.dead_letter_text``)
is read ``PERMISSIVE`` instead, every column as text, and becomes a subquery adding what the plan
needs to tell bad rows from good ones: the file, the number of fields of the record (counted on its
raw text, which Spark keeps for a record whose count is off), and the record's text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from odibi_sql.dialect import to_sql
from odibi_sql.plan.batches import META_SCHEMA
from odibi_sql.plan.dead_letter_text import FIELDS_COLUMN, FILE_COLUMN, FILLED_COLUMN, LINE_COLUMN

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


class SourceFiles:
    """Describes (once per adapter) the external table of each file reader and swaps it in."""

    def __init__(self) -> None:
        self._tables: dict[str, exp.Create] = {}  # reader (DuckDB SQL) -> its external table
        self._text: dict[str, exp.Select] = {}  # text reader (DuckDB SQL) -> the query reading it
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
            external: exp.Expression = name.copy()
            if key in self._text:
                external = exp.Subquery(this=self._text[key].copy())
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
            dialect = self._csv_dialect(reader, path)
            spark_options.update(dialect, mode="FAILFAST")
            if options.get("nullstr") is not None:
                spark_options["nullValue"] = str(options["nullstr"])
            if options.get("store_rejects") is True:
                spark_options.update(mode="PERMISSIVE", columnNameOfCorruptRecord=_RECORD, multiLine="true")
                names = [name for name, _ in columns]
                columns = [*columns, (_RECORD, "VARCHAR")]
        if fmt == "json" and options.get("format") == "array":
            spark_options["multiLine"] = "true"
        digest = hashlib.sha256(f"{key}|{columns}|{spark_options}".encode()).hexdigest()[:16]
        table = exp.table_(f"__odibi_files_{digest}", db=META_SCHEMA, quoted=True)
        if fmt == "csv" and options.get("store_rejects") is True:
            self._text[key] = _text_rows(table, names, dialect)
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
