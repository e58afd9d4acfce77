"""``--dry-run``: the plan of every node (reason, then each statement in full), nothing changed.

Plain indented lines, not a rich tree: a tree crops each line at the terminal width, and the SQL
must show whole."""

from __future__ import annotations

from dataclasses import replace

from rich.markup import escape

from odibi_sql.adapters import open_adapter
from odibi_sql.adapters.base import read_states
from odibi_sql.cli.console import console
from odibi_sql.compile.compiler import CompiledProject
from odibi_sql.execute.runner import RunOptions, with_watermark
from odibi_sql.plan.errors import PlanError
from odibi_sql.plan.materializations import PlanContext
from odibi_sql.plan.planner import plan_node
from odibi_sql.plan.quarantine import quarantine_table
from odibi_sql.plan.steps import CheckStep, CountStep, ExecuteStep, SkipIfStep
from odibi_sql.project.loader import Project
from odibi_sql.testing.compile import compile_tests
from odibi_sql.testing.quarantine import quarantine_of


def print_plans(project: Project, compiled: CompiledProject, names: list[str], options: RunOptions) -> None:
    adapter = open_adapter(project, read_only=True)
    session = adapter.session()
    ctx = PlanContext(adapter.capabilities, full_refresh=options.full_refresh)
    try:
        console.print(f"[bold]plan[/] for target {escape(project.target_name)} ({adapter.dialect})")
        states = read_states(session, {compiled.nodes[n].relation for n in names})
        tests = compile_tests(compiled, names)
        for name in names:
            node = compiled.nodes[name]
            try:
                quarantine = quarantine_of(tests.get(name, []), "<run id>")
                if quarantine is not None:
                    jail = quarantine_table(*node.relation)
                    quarantine = replace(quarantine, state=session.state(jail.db, jail.name))
                state = with_watermark(node, states[node.relation], session)
                plan = plan_node(node, state, ctx, quarantine)
            except PlanError as exc:
                console.print(f"  [red]{escape(name)}: cannot plan[/] {escape(exc.message)}")
                continue
            console.print(
                f"  [bold]{escape(name)}[/] {node.materialized.value}: [cyan]{plan.reason.value}[/]"
            )
            for warning in plan.warnings:
                console.print(f"    [yellow]warning:[/] {escape(warning)}")
            for step in plan.steps:
                statement = step.statement if isinstance(step, ExecuteStep) else step.query
                kind = (
                    "check"
                    if isinstance(step, CheckStep)
                    else "skip if"
                    if isinstance(step, SkipIfStep)
                    else "count"
                    if isinstance(step, CountStep)
                    else "run"
                )
                console.print(f"    {kind}: {escape(step.description)}")
                for line in session.render(statement).splitlines():
                    console.print(f"      {escape(line)}", soft_wrap=True)
    finally:
        session.close()
        adapter.close()
