"""Choose a node's materialization and let it plan the statements for the target's current state."""

from __future__ import annotations

from collections.abc import Iterable

from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.plan.dead_letter import uses_dead_letter
from odibi_sql.plan.errors import PlanError
from odibi_sql.plan.materializations import PlanContext
from odibi_sql.plan.materializations.ephemeral import EphemeralMaterialization
from odibi_sql.plan.materializations.incremental import IncrementalMaterialization, incremental_query
from odibi_sql.plan.materializations.table import TableMaterialization
from odibi_sql.plan.materializations.view import ViewMaterialization
from odibi_sql.plan.quarantine import Quarantine, plan_with_quarantine, rebuilds
from odibi_sql.plan.state import TargetState
from odibi_sql.plan.steps import NodePlan
from odibi_sql.project.node_spec import Materialized

MATERIALIZATIONS = {
    Materialized.VIEW: ViewMaterialization(),
    Materialized.TABLE: TableMaterialization(),
    Materialized.INCREMENTAL: IncrementalMaterialization(),
    Materialized.EPHEMERAL: EphemeralMaterialization(),
}


def plan_node(
    node: CompiledNode, state: TargetState, ctx: PlanContext, quarantine: Quarantine | None = None
) -> NodePlan:
    """Ordered steps and the reason for them; raises ``PlanError`` for settings that cannot work.
    With ``quarantine`` the rows failing its checks are set aside before the write."""
    materialization = MATERIALIZATIONS[node.materialized]
    if quarantine is None:
        return materialization.plan(node, state, ctx)
    rebuild = rebuilds(node, state, ctx)
    incoming = node.query if rebuild else incremental_query(node, state, ctx)
    return plan_with_quarantine(
        lambda staged, inner: materialization.plan(staged, state, inner),
        node,
        incoming,
        rebuild,
        ctx,
        quarantine,
    )


def validate_writes(nodes: Iterable[CompiledNode]) -> None:
    """Check every node's write settings before anything runs; all problems at once (exit 2)."""
    problems: list[Diagnostic] = []
    for node in nodes:
        if uses_dead_letter(node) and node.materialized is not Materialized.TABLE:
            problems.append(
                Diagnostic(
                    f"read.on_error dead_letter needs materialized: table, not {node.materialized.value}",
                    node.definition.locate("read", "on_error"),
                    hint="add 'materialized: table' to the node (a view would re-read the files on every query)",
                    node=node.name,
                )
            )
            continue
        materialization = MATERIALIZATIONS[node.materialized]
        if hasattr(materialization, "validate"):
            try:
                materialization.validate(node)
            except PlanError as exc:
                problems.append(Diagnostic(exc.message, exc.location, hint=exc.hint, node=exc.node))
    if problems:
        raise ProjectError(problems)
