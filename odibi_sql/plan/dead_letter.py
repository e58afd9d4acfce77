"""Dead letter for csv reads: rows that fail to parse are kept in ``<schema>.<table>__rejected``.

Where the reader has reject tables (DuckDB), the reader (see ``compile.sources.dead_letter_options``)
skips such rows into them, named per node here; after the load they are copied, with their file,
line, column, error type, raw line and message, into the dead-letter table, which each load
replaces. Elsewhere (Spark) the csv is read as text and split (``dead_letter_text``).
"""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.compile import csv_text
from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.compile.relations import relation_table
from odibi_sql.compile.sources import keeps_rejected_rows
from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.plan import dead_letter_text
from odibi_sql.plan import statements as sql
from odibi_sql.plan.steps import ExecuteStep, Step

REJECTED_SUFFIX = "__rejected"
_REJECTED_COLUMNS = ("line", "column_name", "error_type", "csv_line", "error_message")


def uses_dead_letter(node: CompiledNode) -> bool:
    """The node keeps rejected rows (a seed, or ``on_error: dead_letter``) and its query reads csv."""
    return keeps_rejected_rows(node.definition) and bool(csv_text.csv_readers(node.query))


def rejected_table(node: CompiledNode) -> exp.Table:
    schema, table = node.relation
    return relation_table(schema, table + REJECTED_SUFFIX)


def load_steps(node: CompiledNode, build: list[Step], caps: Capabilities) -> list[Step]:
    """``build`` (the steps reading the csv) with the rejected rows kept and counted."""
    if not caps.supports_reject_tables:
        return dead_letter_text.load_steps(node, build, rejected_table(node), caps)
    steps: list[Step] = []
    for step in build:
        if isinstance(step, ExecuteStep) and csv_text.csv_readers(step.statement):
            steps += _reader_steps(node, step)
        else:
            steps.append(step)
    return steps


def _reader_steps(node: CompiledNode, build: ExecuteStep) -> list[Step]:
    """Clear the node's reject tables, run ``build`` reading into them, then keep the rejected rows."""
    errors, scans = _temp(f"__odibi_rejects_{node.name}"), _temp(f"__odibi_reject_scans_{node.name}")
    statement = build.statement.copy()
    _name_reject_tables(statement, errors.name, scans.name)
    on = exp.and_(*(exp.EQ(this=sql.col(c, "e"), expression=sql.col(c, "s")) for c in ("scan_id", "file_id")))
    rejected = (
        exp.select(
            exp.alias_(sql.col("file_path", "s"), "file", quoted=True),
            *(
                exp.alias_(exp.cast(sql.col(c, "e"), "VARCHAR"), c, quoted=True)
                if c == "error_type"
                else sql.col(c, "e")
                for c in _REJECTED_COLUMNS
            ),
        )
        .from_(errors.copy().as_("e", quoted=True))
        .join(scans.copy().as_("s", quoted=True), on=on)
        .order_by(sql.col("file"), sql.col("line"))
    )
    return [
        ExecuteStep("clear the reject tables", sql.drop(errors, "TABLE")),
        ExecuteStep("clear the reject scans", sql.drop(scans, "TABLE")),
        ExecuteStep(build.description, statement, build.counts_rows),
        ExecuteStep(
            f"keep the rejected rows in {rejected_table(node).sql()}",
            sql.create_table_as(rejected_table(node), rejected),
            counts_rejected=True,
        ),
    ]


def _temp(name: str) -> exp.Table:
    return exp.table_(name, db="main", catalog="temp", quoted=True)


def _name_reject_tables(statement: exp.Expression, errors: str, scans: str) -> None:
    """Point every csv reader of ``statement`` at this node's reject tables."""
    for reader in statement.find_all(exp.Anonymous, exp.ReadCSV):
        if isinstance(reader, exp.Anonymous) and reader.name.lower() != "read_csv":
            continue
        for key, value in (("rejects_table", errors), ("rejects_scan", scans)):
            reader.append("expressions", exp.EQ(this=exp.column(key), expression=exp.Literal.string(value)))
