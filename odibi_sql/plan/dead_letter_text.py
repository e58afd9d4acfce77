"""Dead letter where the engine's csv reader keeps no rejected rows (Spark): the csv is read as
text into a stage, the node's statements read its good rows, its bad ones are kept in
``<table>__rejected`` and counted (the queries: ``compile.csv_text``)."""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp

from odibi_sql.compile import csv_text
from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.plan import statements as sql
from odibi_sql.plan import storage
from odibi_sql.plan.steps import CountStep, ExecuteStep, Step


def load_steps(node: CompiledNode, build: list[Step], rejected: exp.Table, caps: Capabilities) -> list[Step]:
    """Stage the csv rows as text, run ``build`` reading the good ones, keep the bad ones in
    ``rejected`` (replaced) and count them."""
    stage = csv_text.parsed_stage(*node.relation)
    columns = dict(node.columns)
    readers = [r for s in build if isinstance(s, ExecuteStep) for r in csv_text.csv_readers(s.statement)]
    steps: list[Step] = [
        ExecuteStep("drop a stage left by an earlier run", sql.drop(stage, "TABLE")),
        ExecuteStep("read the csv rows as text", csv_text.create_stage(stage, readers[0])),
    ]
    for step in build:
        if isinstance(step, ExecuteStep):
            step = replace(step, statement=csv_text.read_good_rows(step.statement, stage, columns))
        steps.append(step)
    fmt = (
        [exp.FileFormatProperty(this=exp.var(caps.default_table_format))] if caps.default_table_format else []
    )
    return [
        *steps,
        ExecuteStep(f"drop the old {rejected.name}", sql.drop(rejected, "TABLE")),
        ExecuteStep(
            f"keep the rejected rows in {rejected.sql()}",
            storage.create_table(rejected, csv_text.rejected_rows(stage, columns), fmt),
        ),
        CountStep("count the rejected rows", exp.select(exp.Count(this=exp.Star())).from_(rejected.copy())),
        ExecuteStep("drop the text stage", sql.drop(stage, "TABLE")),
    ]
