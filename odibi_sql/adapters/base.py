"""What the runner needs from an engine; written once per engine."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol

from sqlglot import exp

from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.plan.state import TargetState


class EngineError(Exception):
    """The engine rejected a statement; ``transient`` errors may be retried."""

    def __init__(self, message: str, statement: str, transient: bool = False):
        self.message, self.statement, self.transient = message, statement, transient
        super().__init__(message)


class Session(Protocol):
    """One connection used by one thread: executes ASTs rendered for the adapter's dialect."""

    def execute(self, statement: exp.Expression) -> int | None: ...
    def query(self, query: exp.Query) -> list[tuple[Any, ...]]: ...
    def render(self, statement: exp.Expression) -> str: ...
    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def state(self, schema: str, table: str) -> TargetState: ...
    def close(self) -> None: ...


class Adapter(Protocol):
    dialect: str
    capabilities: Capabilities

    def session(self) -> Session: ...
    def close(self) -> None: ...


def read_states(
    session: Session, relations: Collection[tuple[str, str]]
) -> dict[tuple[str, str], TargetState]:
    """The state of each relation: in one catalog query where the session has ``states``, else one by one."""
    states = getattr(session, "states", None)
    if states is not None:
        return states(relations)
    return {relation: session.state(*relation) for relation in relations}


def stored_rows(session: Session, relation: tuple[str, str]) -> int | None:
    """Rows of a table where the session knows them without a query (``stored_rows``), else None."""
    stored = getattr(session, "stored_rows", None)
    return stored(*relation) if stored is not None else None
