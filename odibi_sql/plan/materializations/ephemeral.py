"""``ephemeral``: never materialized; consumers inline the node as a CTE."""

from __future__ import annotations

from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.plan.materializations import PlanContext
from odibi_sql.plan.state import TargetState
from odibi_sql.plan.steps import NodePlan, Reason


class EphemeralMaterialization:
    def plan(self, node: CompiledNode, state: TargetState, ctx: PlanContext) -> NodePlan:
        return NodePlan(node.name, "ephemeral", Reason.EPHEMERAL)
