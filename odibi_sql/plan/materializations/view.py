"""``view``: ``CREATE OR REPLACE VIEW``; a table of the same name (an earlier materialization) is dropped first."""

from __future__ import annotations

from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.plan import statements as sql
from odibi_sql.plan.materializations import PlanContext
from odibi_sql.plan.state import TargetState
from odibi_sql.plan.steps import ExecuteStep, NodePlan, Reason


class ViewMaterialization:
    def plan(self, node: CompiledNode, state: TargetState, ctx: PlanContext) -> NodePlan:
        table = node.table()
        steps = [ExecuteStep("create the schema", sql.create_schema(node.relation[0]))]
        if state.exists and state.kind != "view":
            steps.append(ExecuteStep("drop the table this view replaces", sql.drop(table, "TABLE")))
        steps.append(ExecuteStep("create or replace the view", sql.create_view(table, node.query)))
        return NodePlan(node.name, "view", Reason.REBUILD if state.exists else Reason.FIRST_RUN, steps)
