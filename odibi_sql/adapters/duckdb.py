"""DuckDB: the embedded default. One database file; one cursor (connection) per thread."""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from odibi_sql.adapters.base import EngineError
from odibi_sql.compile.compiler import node_relation
from odibi_sql.compile.sources import attach_statement
from odibi_sql.dialect import capabilities, to_sql
from odibi_sql.plan.state import TargetState
from odibi_sql.project.config import DuckDBConnection, DuckDBTarget
from odibi_sql.project.loader import Project

_TRANSIENT = ("Could not set lock on file", "Conflict on", "write-write conflict", "IO Error")


class DuckDBAdapter:
    dialect = "duckdb"

    def __init__(self, project: Project, read_only: bool = False):
        target = project.target
        assert isinstance(target, DuckDBTarget)
        self.capabilities = capabilities("duckdb")
        self.path = target.path if target.path == ":memory:" else str(project.root / target.path)
        if read_only and not Path(self.path).exists():
            self.path = ":memory:"  # nothing built yet: every node is a first run
        elif self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.catalog = _target_catalog(project, self.path)
        try:
            if self.catalog is None:
                self._con = duckdb.connect(self.path, read_only=read_only and self.path != ":memory:")
            else:  # the target under another name, which no schema of the project shadows
                self._con = duckdb.connect()
                self._con.execute(
                    to_sql(attach_statement(self.catalog, Path(self.path), read_only), "duckdb")
                )
        except duckdb.Error as exc:
            raise EngineError(f"cannot open {self.path}: {exc}", "connect", transient=True) from None
        settings = {**self.capabilities.session_settings, **{k: str(v) for k, v in target.settings.items()}}
        for key, value in settings.items():
            self._con.execute(
                to_sql(
                    exp.Set(expressions=[exp.EQ(this=exp.var(key), expression=exp.Literal.string(value))]),
                    "duckdb",
                )
            )
        for name, connection in project.config.connections.items():
            if isinstance(connection, DuckDBConnection) and name != self.catalog:
                self._con.execute(to_sql(attach_statement(name, project.root / connection.path), "duckdb"))

    def session(self) -> DuckDBSession:
        cursor = self._con.cursor()
        if self.catalog is not None:
            cursor.execute(to_sql(exp.Use(this=exp.to_identifier(self.catalog, quoted=True)), "duckdb"))
        return DuckDBSession(cursor)

    def close(self) -> None:
        self._con.close()


class DuckDBSession:
    def __init__(self, cursor: duckdb.DuckDBPyConnection):
        self._cur = cursor
        self._last: tuple[exp.Expression, str] | None = None

    def render(self, statement: exp.Expression) -> str:
        """The statement's SQL; the last one is kept, as the runner records a statement's text and
        then executes the same (unchanged) statement."""
        if self._last is not None and self._last[0] is statement:
            return self._last[1]
        sql = to_sql(statement, "duckdb")
        self._last = (statement, sql)
        return sql

    def execute(self, statement: exp.Expression) -> int | None:
        rows = self._run(self.render(statement))
        if rows and len(rows) == 1 and len(rows[0]) == 1 and isinstance(rows[0][0], int):
            return rows[0][0]
        return None

    def query(self, query: exp.Query) -> list[tuple[Any, ...]]:
        return self._run(self.render(query), retryable=False)

    def _run(self, sql: str, retryable: bool = True, parameters: list | None = None) -> list[tuple[Any, ...]]:
        """Run ``sql``; a DuckDB error (a cancelled statement too) becomes an ``EngineError``."""
        try:
            return self._cur.execute(sql, parameters).fetchall()
        except duckdb.Error as exc:
            message = str(exc)
            raise EngineError(
                message, sql, transient=retryable and any(t in message for t in _TRANSIENT)
            ) from None

    def begin(self) -> None:
        self._run("BEGIN TRANSACTION")

    def commit(self) -> None:
        self._run("COMMIT")

    def rollback(self) -> None:
        with contextlib.suppress(duckdb.Error):  # no transaction left to roll back
            self._cur.execute("ROLLBACK")

    def interrupt(self) -> None:
        """Cancel the statement running (it fails, so its node rolls back); nothing if none runs."""
        self._cur.interrupt()

    def state(self, schema: str, table: str) -> TargetState:
        return self.states([(schema, table)])[(schema, table)]

    def states(self, relations: Collection[tuple[str, str]]) -> dict[tuple[str, str], TargetState]:
        """The state of each relation, from one catalog query (each query scans the whole catalog)."""
        if not relations:
            return {}
        rows = self._run(
            "select t.table_schema, t.table_name, t.table_type, c.column_name, c.data_type "
            "from information_schema.tables t "
            "left join information_schema.columns c on c.table_catalog = t.table_catalog "
            "and c.table_schema = t.table_schema and c.table_name = t.table_name "
            "where t.table_catalog = current_database() "
            "and list_contains(?, t.table_schema) and list_contains(?, t.table_name) "
            "order by t.table_schema, t.table_name, c.ordinal_position",
            parameters=[sorted({s for s, _ in relations}), sorted({t for _, t in relations})],
        )
        kinds: dict[tuple[str, str], str] = {}
        columns: dict[tuple[str, str], dict[str, str]] = {}
        for schema, table, table_type, name, dtype in rows:
            kinds[(schema, table)] = "view" if table_type == "VIEW" else "table"
            if name is not None:
                columns.setdefault((schema, table), {})[name] = dtype
        return {
            r: TargetState(True, kinds[r], columns.get(r, {})) if r in kinds else TargetState.missing()
            for r in relations
        }

    def close(self) -> None:
        self._cur.close()


def _target_catalog(project: Project, path: str) -> str | None:
    """The name to open the target's database under, when its default (the file's stem) will not do:
    the name of a connection that points at the target itself (so ``source('<it>', ...)`` reads
    the target), or ``odibi_target`` when a schema of the project is named like the file (DuckDB
    would find ``<schema>.<table>`` ambiguous). None: open it as usual."""
    if path == ":memory:":
        return None
    target = Path(path).resolve()
    for name, connection in project.config.connections.items():
        if isinstance(connection, DuckDBConnection) and (project.root / connection.path).resolve() == target:
            return name
    schemas = {node_relation(node)[0].lower() for node in project.nodes.values()}
    return TARGET_CATALOG if target.stem.lower() in schemas else None


TARGET_CATALOG = "odibi_target"
