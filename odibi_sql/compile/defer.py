"""``--defer --state DIR``: selected nodes read their unselected upstream nodes from the state's
relations (the production build the state's manifest describes), as dbt's deferral does.

The compiled queries of the selected nodes are rewritten: each table of a deferred node becomes the
state's relation; on DuckDB, in the state's database file, attached read-only as ``odibi_state``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from sqlglot import exp

from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.dialect import to_sql
from odibi_sql.project.config import DuckDBConnection, DuckDBTarget
from odibi_sql.project.loader import Project
from odibi_sql.project.node_spec import Materialized

STATE_CATALOG = "odibi_state"
"""The name the state's DuckDB database is attached as."""


@dataclass(frozen=True)
class DeferState:
    relations: dict[str, tuple[str, str]]
    """``{node: (schema, table)}`` as the state built them."""
    database: Path | None
    """The state's DuckDB file (None: the same catalog as the target, e.g. Spark's metastore)."""


def read_defer_state(state_dir: Path, project: Project) -> DeferState:
    """The relations and database of ``<state_dir>/manifest.json``."""
    try:
        manifest = json.loads((state_dir / "manifest.json").read_text(encoding="utf-8"))
        relations = {
            name: (node["relation"]["schema"], node["relation"]["table"])
            for name, node in manifest["nodes"].items()
        }
        recorded = manifest["metadata"].get("database")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _error(f"cannot read a previous manifest ({type(exc).__name__}: {exc})", state_dir) from None
    return DeferState(relations, _state_database(recorded, state_dir, project))


def _state_database(recorded: str | None, state_dir: Path, project: Project) -> Path | None:
    if recorded is None or not isinstance(project.target, DuckDBTarget):
        return None
    path = Path(recorded)
    for candidate in (path, state_dir / path.name):  # where it was built, or copied next to the manifest
        if candidate.is_file():
            if candidate.resolve() == (project.root / project.target.path).resolve():
                return None  # the target itself
            return candidate.resolve()
    raise _error(
        f"the state's database {recorded} does not exist (nor {state_dir / path.name})",
        state_dir,
        hint="copy the production database file next to its manifest.json in the --state folder",
    )


def _error(message: str, state_dir: Path, hint: str | None = None) -> ProjectError:
    return ProjectError(
        [
            Diagnostic(
                f"--defer --state {state_dir}: {message}",
                hint=hint or "point --state at the target/ folder of a previous build",
            )
        ]
    )


def with_state_database(project: Project, state: DeferState) -> Project:
    """The project with the state's database as a read-only connection (attached when the target opens)."""
    if state.database is None:
        return project
    connections = {
        **project.config.connections,
        STATE_CATALOG: DuckDBConnection(type="duckdb", path=str(state.database)),
    }
    return replace(project, config=project.config.model_copy(update={"connections": connections}))


def defer_upstream(compiled: CompiledProject, names: list[str], state: DeferState) -> list[str]:
    """Point the selected nodes at the state's relations of their unselected upstream nodes (the
    nodes the state built); returns those deferred nodes."""
    selected = set(names)
    deferred = sorted(
        {
            parent
            for name in names
            for parent in compiled.dag.ancestors(name)
            if parent not in selected
            and parent in state.relations
            and compiled.nodes[parent].materialized is not Materialized.EPHEMERAL
        }
    )
    swaps = {compiled.nodes[d].relation: state.relations[d] for d in deferred}
    catalog = STATE_CATALOG if state.database is not None else None
    for name in names:
        node = compiled.nodes[name]
        if swaps and node.definition.spec.read is None:
            _rewrite(node, swaps, catalog, compiled.dialects)
    return deferred


def _rewrite(
    node: CompiledNode, swaps: dict[tuple[str, str], tuple[str, str]], catalog: str | None, dialects
) -> None:
    def swap(table: exp.Expression) -> exp.Expression:
        if isinstance(table, exp.Table) and not table.catalog and (table.db, table.name) in swaps:
            schema, name = swaps[(table.db, table.name)]
            moved = table.copy()
            moved.set("this", exp.to_identifier(name, quoted=True))
            moved.set("db", exp.to_identifier(schema, quoted=True))
            if catalog is not None:
                moved.set("catalog", exp.to_identifier(catalog, quoted=True))
            return moved
        return table

    node.query_tree = node.query.transform(swap)
    node.sql = {d: to_sql(node.query_tree, d, pretty=True) for d in dialects}
    if node.incremental_query is not None:
        node.incremental_tree = node.incremental_query.transform(swap)
        node.incremental_sql = {d: to_sql(node.incremental_tree, d, pretty=True) for d in dialects}
