"""Idempotent appends: a fingerprint of each appended batch (row count + order-free hash sum),
kept in ``odibi_meta.batches``; re-running the same batch is skipped instead of duplicating rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from odibi_sql.compile.relations import META_SCHEMA
from odibi_sql.plan import statements as sql
from odibi_sql.plan.steps import ExecuteStep, SkipIfStep

BATCHES = exp.table_("batches", db=META_SCHEMA, quoted=True)


def bootstrap() -> list[exp.Expression]:
    """Statements creating the state store (idempotent)."""
    columns = [
        exp.ColumnDef(this=sql.ident(name), kind=exp.DataType.build(kind))
        for name, kind in (("node", "VARCHAR"), ("fingerprint", "VARCHAR"), ("loaded_at", "TIMESTAMP"))
    ]
    return [
        sql.create_schema(META_SCHEMA),
        exp.Create(this=exp.Schema(this=BATCHES.copy(), expressions=columns), kind="TABLE", exists=True),
    ]


def fingerprint(stage: exp.Table, columns: Sequence[str]) -> exp.Select:
    """``count(*) || ':' || sum(hash(cols))`` over the staged rows: equal for equal multisets of rows."""
    row_hash = exp.Cast(
        this=exp.Anonymous(this="hash", expressions=[sql.col(c) for c in columns]),
        to=exp.DataType.build("DECIMAL(38, 0)"),
    )
    text = exp.DPipe(
        this=exp.DPipe(
            this=exp.Cast(this=exp.Count(this=exp.Star()), to=exp.DataType.build("VARCHAR")),
            expression=exp.Literal.string(":"),
        ),
        expression=exp.Cast(
            this=exp.Coalesce(this=exp.Sum(this=row_hash), expressions=[exp.Literal.number(0)]),
            to=exp.DataType.build("VARCHAR"),
        ),
    )
    return exp.select(text).from_(stage.copy())


def _last_fingerprint(node: str) -> exp.Select:
    return (
        exp.select(sql.col("fingerprint"))
        .from_(BATCHES.copy())
        .where(exp.EQ(this=sql.col("node"), expression=exp.Literal.string(node)))
        .order_by(exp.Ordered(this=sql.col("loaded_at"), desc=True))
        .limit(1)
    )


def batch_already_loaded(node: str, stage: exp.Table, columns: Sequence[str]) -> SkipIfStep:
    same = exp.EQ(this=fingerprint(stage, columns).subquery(), expression=_last_fingerprint(node).subquery())
    return SkipIfStep(
        "skip if this exact batch was the last one appended",
        exp.select(exp.func("coalesce", same, exp.false())),
        "this batch was already appended (same rows as the last run): nothing to do",
    )


def record_batch(node: str, stage: exp.Table, columns: Sequence[str]) -> ExecuteStep:
    row = exp.select(exp.Literal.string(node), fingerprint(stage, columns).subquery(), exp.CurrentTimestamp())
    return ExecuteStep(
        "record the batch fingerprint", sql.insert(BATCHES, ["node", "fingerprint", "loaded_at"], row)
    )
