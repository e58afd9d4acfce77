"""Bind every compiled node against empty tables of its upstream schemas in an in-memory DuckDB.

Nodes are bound in dependency order (``con.sql(<query>)`` binds without running, like
``DESCRIBE <query>``): DuckDB's binder resolves every name, function and type without reading
a row, and the columns it reports become the empty table the next node reads. It catches what qualification cannot: unknown functions, argument
types no function accepts, columns missing from GROUP BY. A node whose upstream failed to bind
is skipped (its problems would only echo the upstream's).
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from enum import StrEnum

import duckdb
from sqlglot import exp

from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.compile.sources import attach_statement
from odibi_sql.dialect import capabilities, to_sql
from odibi_sql.project.config import DuckDBConnection
from odibi_sql.project.node_spec import Materialized


class BindKind(StrEnum):
    UNKNOWN_FUNCTION = "unknown_function"
    TYPE_MISMATCH = "type_mismatch"
    GROUP_BY = "group_by"
    UNKNOWN_COLUMN = "unknown_column"
    AMBIGUOUS_COLUMN = "ambiguous_column"
    OTHER = "other"
    UNAVAILABLE = "unavailable"
    """A relation the binder could not provide (e.g. a table of an attached database): no finding."""


@dataclass(frozen=True)
class BindProblem:
    kind: BindKind
    message: str
    name: str | None
    """The function or column the message is about, to find it in the user's SQL."""
    incremental: bool = False


_PATTERNS: tuple[tuple[BindKind, re.Pattern[str]], ...] = (
    (
        BindKind.UNKNOWN_FUNCTION,
        re.compile(r"(?:Scalar|Aggregate|Table) Function with name (\w+) does not exist"),
    ),
    (
        BindKind.TYPE_MISMATCH,
        re.compile(r"No function matches the given name and argument types '([^(']+)\("),
    ),
    (BindKind.TYPE_MISMATCH, re.compile(r"(?:Cannot|Could not) (?:compare|convert|cast|mix)")),
    (BindKind.GROUP_BY, re.compile(r'column "([^"]+)" must appear in the GROUP BY clause')),
    (BindKind.GROUP_BY, re.compile(r"GROUP BY")),
    (BindKind.UNKNOWN_COLUMN, re.compile(r'Referenced column "([^"]+)" not found')),
    (BindKind.AMBIGUOUS_COLUMN, re.compile(r'Ambiguous reference to column name "([^"]+)"')),
    (BindKind.UNAVAILABLE, re.compile(r"(?:Table|Catalog|Schema) with name \S+ does not exist")),
)


def bind_project(compiled: CompiledProject) -> dict[str, list[BindProblem]]:
    """``{node: problems}`` for every compiled node (an empty list: it binds).

    ``compiled`` must hold the DuckDB SQL of each node (compiled with the ``duckdb`` dialect).
    """
    con = duckdb.connect(":memory:")
    try:
        _prepare(con, compiled)
        return _Binder(con, compiled).run()
    finally:
        con.close()


def _prepare(con: duckdb.DuckDBPyConnection, compiled: CompiledProject) -> None:
    for key, value in capabilities("duckdb").session_settings.items():
        con.execute(
            to_sql(
                exp.Set(expressions=[exp.EQ(this=exp.var(key), expression=exp.Literal.string(value))]),
                "duckdb",
            )
        )
    project = compiled.project
    for name, connection in project.config.connections.items():
        path = project.root / connection.path
        if isinstance(connection, DuckDBConnection) and path.is_file():
            with contextlib.suppress(duckdb.Error):  # else its tables stay unavailable: not bound
                con.execute(to_sql(attach_statement(name, path), "duckdb"))


class _Binder:
    def __init__(self, con: duckdb.DuckDBPyConnection, compiled: CompiledProject):
        self.con = con
        self.compiled = compiled
        self.schemas: set[str] = set()

    def run(self) -> dict[str, list[BindProblem]]:
        results: dict[str, list[BindProblem]] = {}
        unbound: set[str] = set()
        read = {dep for node in self.compiled.nodes.values() for dep in node.depends_on}
        for name in self.compiled.dag.order:
            node = self.compiled.nodes.get(name)
            if node is None or set(node.depends_on) & unbound:
                unbound.add(name)
                continue
            if node.definition.spec.read is not None:
                if name in read:
                    self._create(node, [(c, t or "VARCHAR") for c, t in node.columns.items()])
                continue
            problems, columns = self._describe(node.sql["duckdb"])
            if columns is not None and node.materialized is not Materialized.EPHEMERAL:
                incremental = "duckdb" in node.incremental_sql  # it reads its own table (the watermark)
                if name in read or incremental:  # creating costs more than binding: only what is read
                    self._create(node, columns)
                if incremental:
                    more, _ = self._describe(node.incremental_sql["duckdb"])
                    problems += [
                        BindProblem(p.kind, p.message, p.name, incremental=True)
                        for p in more
                        if p.message not in {q.message for q in problems}
                    ]
            if columns is None:
                unbound.add(name)
            results[name] = [p for p in problems if p.kind is not BindKind.UNAVAILABLE]
        return results

    def _describe(self, sql: str) -> tuple[list[BindProblem], list[tuple[str, str]] | None]:
        """Bind (never run) the compiled DuckDB SQL: its problems, or its columns and types."""
        try:
            relation = self.con.sql(sql)
        except duckdb.Error as exc:
            return [_problem(str(exc))], None
        return [], [(name, str(kind)) for name, kind in zip(relation.columns, relation.types, strict=True)]

    def _create(self, node: CompiledNode, columns: list[tuple[str, str]]) -> None:
        schema, table = node.relation
        if schema not in self.schemas:
            self.schemas.add(schema)
            create_schema = exp.Create(
                this=exp.Table(db=exp.to_identifier(schema, quoted=True)), kind="SCHEMA", exists=True
            )
            self.con.execute(to_sql(create_schema, "duckdb", copy=False))
        defs = {}
        for column, kind in columns:
            defs.setdefault(
                column,
                exp.ColumnDef(
                    this=exp.to_identifier(column, quoted=True),
                    kind=_data_type(kind).copy(),
                ),
            )
        target = exp.Schema(this=node.table(), expressions=list(defs.values()))
        self.con.execute(to_sql(exp.Create(this=target, kind="TABLE", replace=True), "duckdb", copy=False))


@functools.cache
def _data_type(name: str) -> exp.DataType:
    """A DuckDB type name as an AST (parsed once per name; unknown names kept as written)."""
    return exp.DataType.build(name, dialect="duckdb", udt=True)


def _problem(error: str) -> BindProblem:
    """Classify a DuckDB error and keep its first line(s) without the echo of our SQL."""
    text = error.split("\n\nLINE ", 1)[0]
    head, _, rest = text.partition("\n")
    message = re.sub(r"^\w+ Error: ", "", head).strip()
    if message.startswith("No function matches"):
        message = message.split(". You might need", 1)[0]
    suggestion = next(
        (line for line in rest.splitlines() if line.startswith(("Did you mean", "Candidate bindings"))), None
    )
    if suggestion:
        message += f" ({suggestion.strip()})"
    for kind, pattern in _PATTERNS:
        match = pattern.search(head)
        if match:
            return BindProblem(kind, message, match.group(1) if match.groups() else None)
    return BindProblem(BindKind.OTHER, message, None)
