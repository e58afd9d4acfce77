"""``odibi-sql show``: the first rows of a node's query, or of inline SQL, read from the target.

The query is compiled as usual (refs resolve to the target's relations, ephemerals inline) and run
read-only with a limit; nothing is written. Values of sensitive columns come back masked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlglot import exp

from odibi_sql.adapters import open_adapter
from odibi_sql.adapters.base import EngineError
from odibi_sql.compile.workspace import Selection, compile_selected
from odibi_sql.diagnostics import Diagnostic, ExecutionError, Location, ProjectError, did_you_mean
from odibi_sql.project.loader import NodeDef, Project
from odibi_sql.project.node_spec import Materialized, NodeSpec
from odibi_sql.testing.masking import MASK, mask_message, sensitive_columns

INLINE = "inline_query"
"""The name ``--inline`` SQL compiles under."""


@dataclass(frozen=True)
class Preview:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    sql: str


def preview(project: Project, node: str | None, inline: str | None, limit: int) -> Preview:
    """The first ``limit`` rows of ``node``'s query or of ``inline`` SQL (Jinja and refs allowed)."""
    if inline is not None:
        project = _with_inline(project, inline)
        node = INLINE
    assert node is not None
    if node not in project.nodes:
        raise ProjectError(
            [
                Diagnostic(
                    f"show: there is no node named '{node}'.{did_you_mean(node, project.nodes)}",
                    hint='name a node (odibi-sql ls lists them), or pass --inline "select ..."',
                )
            ]
        )
    compiled, _ = compile_selected(project, (project.target.dialect,), Selection(select=[node]))
    target = compiled.nodes[node]
    query = exp.select(exp.Star()).from_(target.query.subquery("preview")).limit(limit)
    sensitive = sensitive_columns(compiled, node)
    adapter = open_adapter(project, read_only=True)
    try:
        session = adapter.session()
        try:
            sql = session.render(query)
            rows = session.query(query)
        finally:
            session.close()
    except EngineError as exc:
        raise ExecutionError(node, mask_message(exc.message), exc.statement) from None
    finally:
        adapter.close()
    columns = list(target.columns)
    masked = [i for i, c in enumerate(columns) if c.lower() in sensitive]
    if masked:
        rows = [tuple(MASK if i in masked else v for i, v in enumerate(row)) for row in rows]
    return Preview(columns, rows, sql)


def _with_inline(project: Project, sql: str) -> Project:
    location = Location("--inline", 1, 1)
    node = NodeDef(
        spec=NodeSpec(name=INLINE, sql=sql, materialized=Materialized.VIEW),
        pipeline="inline",
        resource_type="model",
        file="--inline",
        location=location,
        tags=(),
        sql_text=sql,
        sql_location=location,
    )
    return replace(project, nodes={**project.nodes, INLINE: node})
