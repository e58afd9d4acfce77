"""``odibi-sql debug``: can this project run here? Opens the target, runs ``SELECT 1``, and checks
every connection is reachable. Reads only; the first problem of each check is reported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from sqlglot import exp

from odibi_sql.adapters import open_adapter
from odibi_sql.adapters.base import EngineError
from odibi_sql.compile.sources import attach_statement
from odibi_sql.diagnostics import OdibiError
from odibi_sql.dialect import to_sql
from odibi_sql.project.config import DuckDBConnection, DuckDBTarget, FilesConnection
from odibi_sql.project.loader import Project


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(project: Project) -> list[Check]:
    return [_target(project), *(_connection(project, name) for name in project.config.connections)]


def _target(project: Project) -> Check:
    name = f"target {project.target_name} ({project.target.dialect})"
    try:
        adapter = open_adapter(project, read_only=True)
    except OdibiError as exc:
        return Check(name, False, exc.format())
    except duckdb.Error as exc:  # a connection's database attached when the target opens
        return Check(name, False, str(exc).splitlines()[0])
    try:
        session = adapter.session()
        try:
            session.query(exp.select(exp.Literal.number(1)))
        finally:
            session.close()
    except EngineError as exc:
        return Check(name, False, exc.message)
    finally:
        adapter.close()
    if isinstance(project.target, DuckDBTarget) and project.target.path != ":memory:":
        path = project.root / project.target.path
        if not path.is_file():
            return Check(name, True, f"{path} is not built yet (the first run creates it); SELECT 1 ran")
        return Check(name, True, f"opened {path}, SELECT 1 ran")
    return Check(name, True, "opened, SELECT 1 ran")


def _connection(project: Project, name: str) -> Check:
    connection = project.config.connections[name]
    label = f"connection {name} ({connection.type})"
    path = project.root / connection.path
    if isinstance(connection, FilesConnection):
        if not path.is_dir():
            return Check(label, False, f"folder {path} does not exist")
        return Check(label, True, f"folder {path}")
    assert isinstance(connection, DuckDBConnection)
    if not Path(path).is_file():
        return Check(label, False, f"database {path} does not exist")
    con = duckdb.connect()
    try:
        con.execute(to_sql(attach_statement(name, path), "duckdb"))
    except duckdb.Error as exc:
        return Check(label, False, str(exc).splitlines()[0])
    finally:
        con.close()
    return Check(label, True, f"database {path} attached read-only")
