"""``table``: rebuilt from the full query on every run (``CREATE OR REPLACE TABLE ... AS``)."""

from __future__ import annotations

from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.plan import dead_letter, storage
from odibi_sql.plan import statements as sql
from odibi_sql.plan.materializations import PlanContext
from odibi_sql.plan.state import TargetState
from odibi_sql.plan.steps import ExecuteStep, NodePlan, Reason


class TableMaterialization:
    def plan(self, node: CompiledNode, state: TargetState, ctx: PlanContext) -> NodePlan:
        table = node.table()
        steps = [ExecuteStep("create the schema", sql.create_schema(node.relation[0]))]
        if state.exists and state.kind == "view":
            steps.append(ExecuteStep("drop the view this table replaces", sql.drop(table, "VIEW")))
        exists = state.exists and state.kind == "table"
        build = storage.replace_table(node, node.query, ctx.capabilities, exists)
        if dead_letter.uses_dead_letter(node):
            build = dead_letter.load_steps(node, build, ctx.capabilities)
        steps += build
        reason = Reason.REBUILD if state.exists else Reason.FIRST_RUN
        return NodePlan(
            node.name, "table", reason, steps, warnings=storage.storage_warnings(node, ctx.capabilities)
        )
