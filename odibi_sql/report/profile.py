"""Null counts of the built relations: one read-only query per relation, built as a sqlglot AST."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlglot import exp

from odibi_sql.adapters import open_adapter
from odibi_sql.adapters.base import EngineError, Session
from odibi_sql.compile.compiler import CompiledProject
from odibi_sql.project.node_spec import Materialized
from odibi_sql.testing.masking import mask_message, sensitive_columns

ROWS = "__rows"


@dataclass
class Profile:
    """What the report shows of a relation's data; ``note`` says why there is nothing."""

    rows: int | None = None
    nulls: dict[str, int] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    """The built relation's columns and their types, in table order."""
    note: str | None = None


def profile_query(table: exp.Table, columns: Iterable[str]) -> exp.Select:
    """``SELECT COUNT(*), COUNT(*) - COUNT(c1), ... FROM table``: rows, then nulls per column."""
    nulls = [
        exp.alias_(
            exp.Sub(this=exp.Count(this=exp.Star()), expression=exp.Count(this=exp.column(c, quoted=True))),
            f"nulls_{i}",
            quoted=True,
        )
        for i, c in enumerate(columns)
    ]
    return exp.select(exp.alias_(exp.Count(this=exp.Star()), ROWS, quoted=True), *nulls).from_(table)


def profile_nodes(compiled: CompiledProject, names: Iterable[str]) -> dict[str, Profile]:
    """Profile every built relation of ``names`` on the target, opened read-only."""
    names = list(names)
    try:
        adapter = open_adapter(compiled.project, read_only=True)
    except EngineError as exc:
        note = f"the target could not be opened: {exc.message}"
        return {name: Profile(note=note) for name in names}
    session = adapter.session()
    try:
        return {name: _profile(compiled, name, session) for name in names}
    finally:
        session.close()
        adapter.close()


def _profile(compiled: CompiledProject, name: str, session: Session) -> Profile:
    node = compiled.nodes[name]
    if node.materialized is Materialized.EPHEMERAL:
        return Profile(note="ephemeral: inlined into its consumers, never built")
    state = session.state(*node.relation)
    if not state.exists:
        return Profile(note=f"{'.'.join(node.relation)} is not built yet: run the node to see its data")
    columns = list(state.columns)
    try:
        row = session.query(profile_query(node.table(), columns))[0]
    except EngineError as exc:
        message = (
            mask_message(exc.message, exc.statement) if sensitive_columns(compiled, name) else exc.message
        )
        return Profile(types=dict(state.columns), note=f"could not be read: {message}")
    return Profile(
        rows=int(row[0]),
        nulls={c: int(v) for c, v in zip(columns, row[1:], strict=True)},
        types={c: str(t) for c, t in state.columns.items()},
    )
