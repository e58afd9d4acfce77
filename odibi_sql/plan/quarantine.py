"""Quarantine in the plan: the rows a node is about to write are staged and split before the write.

1. the node's new rows (its query, or for an incremental run its incremental query) are staged in
   ``__odibi_checked_<table>``;
2. the rows failing a quarantine test are staged in ``__odibi_quarantined_<table>``, each under the
   first test it fails, with ``quarantine_test``, ``quarantined_at`` and ``quarantine_run_id``;
3. the node's materialization writes the other rows (the plan reads the checked stage);
4. then the quarantined rows are written to ``<schema>.<table>__quarantine``: replaced when the
   node's table is rebuilt (``table``, an incremental first run, ``--full-refresh``), appended on
   an incremental run. The table is created, empty if need be, with the node.

Nothing is deleted from a table, so it works on formats without DELETE (Spark parquet); a failure
before the write leaves the target and the quarantine as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlglot import exp

from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.compile.relations import relation_table
from odibi_sql.plan import dead_letter, storage
from odibi_sql.plan import statements as sql
from odibi_sql.plan.errors import PlanError
from odibi_sql.plan.materializations import PlanContext
from odibi_sql.plan.state import TargetState
from odibi_sql.plan.steps import ExecuteStep, NodePlan, Step
from odibi_sql.project.node_spec import Materialized

SUFFIX = "__quarantine"
TEST_COLUMN = "quarantine_test"
TIME_COLUMN = "quarantined_at"
RUN_COLUMN = "quarantine_run_id"
_META_TYPES = {TEST_COLUMN: "VARCHAR", TIME_COLUMN: "TIMESTAMP", RUN_COLUMN: "VARCHAR"}


def quarantine_table(schema: str, table: str) -> exp.Table:
    return relation_table(schema, table + SUFFIX)


@dataclass(frozen=True)
class Quarantine:
    """The quarantine tests of one node: ``(test name, predicate true for a failing row of the
    node's table)`` in definition order, and the run's id stamped on the rows."""

    checks: tuple[tuple[str, exp.Expression], ...]
    run_id: str
    state: TargetState = TargetState.missing()
    """The quarantine table's state, read before planning."""


def rebuilds(node: CompiledNode, state: TargetState, ctx: PlanContext) -> bool:
    """Whether this run rebuilds the node's table (so its quarantine is replaced, not appended to)."""
    exists = state.exists and state.kind == "table"
    return node.materialized is not Materialized.INCREMENTAL or not exists or ctx.full_refresh


def plan_with_quarantine(
    plan: Callable[[CompiledNode, PlanContext], NodePlan],
    node: CompiledNode,
    incoming: exp.Query,
    rebuild: bool,
    ctx: PlanContext,
    quarantine: Quarantine,
) -> NodePlan:
    """``plan`` of ``node`` made to write the rows of ``incoming`` that pass every check, between
    the staging of the split and the write of the quarantine. A csv read with a dead letter keeps
    its rejected rows while the rows are staged (the write then reads no file)."""
    caps = ctx.capabilities
    checked = storage.stage_table(node, caps, "checked")
    held = storage.stage_table(node, caps, "quarantined")
    columns = list(node.columns)
    predicates = [(name, _on_stage(p, node.table(), checked)) for name, p in quarantine.checks]
    any_fails = exp.or_(*(exp.paren(p.copy()) for _, p in predicates))
    clean = sql.select_columns(columns, checked.copy()).where(_not_true(any_fails))
    staging = storage.build_stage(checked, incoming, caps)
    if dead_letter.uses_dead_letter(node):
        staging = dead_letter.load_steps(node, staging, caps)
    inner = plan(replace(node, query_tree=clean, incremental_tree=clean), ctx)
    steps: list[Step] = [
        ExecuteStep("create the schema", sql.create_schema(node.relation[0])),
        *staging,
        *(
            replace(step, description="stage the rows to quarantine")
            if step.description == "stage the new rows"
            else step
            for step in storage.build_stage(
                held, _held_rows(columns, checked, predicates, quarantine.run_id), caps
            )
        ),
        *inner.steps,
        *_write(node, held, rebuild, ctx, quarantine.state),
        ExecuteStep("drop the quarantine stage", sql.drop(held, "TABLE")),
        ExecuteStep("drop the checked stage", sql.drop(checked, "TABLE")),
    ]
    return replace(inner, steps=steps)


def _held_rows(
    columns: Sequence[str], checked: exp.Table, predicates: list[tuple[str, exp.Expression]], run_id: str
) -> exp.Query:
    """One SELECT per test, each row under the first test it fails, stacked with UNION ALL."""
    stamp = exp.cast(exp.CurrentTimestamp(), exp.DataType.build("TIMESTAMP"))
    parts: list[exp.Select] = []
    for i, (name, predicate) in enumerate(predicates):
        where: exp.Expression = exp.paren(predicate.copy())
        for _, earlier in predicates[:i]:
            where = exp.and_(where, _not_true(exp.paren(earlier.copy())))
        parts.append(
            exp.select(
                *(sql.col(c) for c in columns),
                exp.alias_(exp.Literal.string(name), TEST_COLUMN, quoted=True),
                exp.alias_(stamp.copy(), TIME_COLUMN, quoted=True),
                exp.alias_(exp.Literal.string(run_id), RUN_COLUMN, quoted=True),
            )
            .from_(checked.copy())
            .where(where)
        )
    query: exp.Query = parts[0]
    for part in parts[1:]:
        query = exp.union(query, part, distinct=False)
    return query


def _write(
    node: CompiledNode, held: exp.Table, rebuild: bool, ctx: PlanContext, state: TargetState
) -> list[Step]:
    table = quarantine_table(*node.relation)
    columns = [*node.columns, *_META_TYPES]
    rows = sql.select_columns(columns, held.copy())
    caps = ctx.capabilities
    if not state.exists:
        return [ExecuteStep("create the quarantine table", sql.create_table_as(table, rows, replace=False))]
    if rebuild and caps.supports_create_or_replace_table:
        return [ExecuteStep("replace the quarantine table", sql.create_table_as(table, rows))]
    existing = {c.lower() for c in state.columns}
    missing = [c for c in columns if c.lower() not in existing]
    if rebuild and not missing and len(existing) == len(columns):
        return [ExecuteStep("replace the quarantined rows", storage.overwrite(table, columns, rows))]
    if rebuild:
        return [
            ExecuteStep("drop the quarantine table (its columns changed)", sql.drop(table, "TABLE")),
            ExecuteStep("create the quarantine table", sql.create_table_as(table, rows, replace=False)),
        ]
    types = {**node.columns, **_META_TYPES}
    steps: list[Step] = []
    for column in missing:
        if types[column] is None:
            raise PlanError(
                node.name,
                f"cannot add column '{column}' to {table.db}.{table.name}: its type is unknown",
                node.definition.location,
                hint=f"cast it in the SQL, e.g. cast(... as varchar) as {column}",
            )
        steps.append(
            ExecuteStep(
                f"add column {column} to the quarantine table",
                sql.add_column(table, column, types[column], "duckdb"),
            )
        )
    steps.append(ExecuteStep("append the quarantined rows", sql.insert(table, columns, rows)))
    return steps


def _not_true(condition: exp.Expression) -> exp.Expression:
    """``NOT ((c) IS TRUE)``: true where ``c`` is false or NULL (a NULL comparison passes a test)."""
    return exp.Not(this=exp.paren(exp.Is(this=exp.paren(condition), expression=exp.true())))


def _on_stage(predicate: exp.Expression, table: exp.Table, stage: exp.Table) -> exp.Expression:
    """``predicate`` reading ``stage`` wherever it read the node's ``table`` (e.g. unique's subquery)."""

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and node.name == table.name and node.db == table.db:
            moved = stage.copy()
            if node.args.get("alias"):
                moved.set("alias", node.args["alias"].copy())
            return moved
        return node

    return predicate.copy().transform(swap)
