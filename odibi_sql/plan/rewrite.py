"""Merge, delete+insert and overwrite for tables without MERGE / UPDATE / DELETE (Spark parquet).

The merged result is computed into a stage table from the target and the staged new rows, then
swapped in with one ``INSERT OVERWRITE`` (which cannot read the table it overwrites, hence the
stage). The result equals what ``MERGE INTO`` (see ``statements.merge``) leaves behind: matched
rows take the new values (audit ``updated_at`` moves only when a value changed), new keys are
inserted, columns the query no longer produces keep their old values on updated rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from odibi_sql.plan import statements as sql
from odibi_sql.plan.steps import ExecuteStep, Step
from odibi_sql.plan.storage import build_stage, overwrite

T, S = "t", "s"


def _matches(keys: Sequence[str]) -> exp.Expression:
    return exp.and_(*(exp.EQ(this=sql.col(k, T), expression=sql.col(k, S)) for k in keys))


def _exists(keys: Sequence[str], inner: exp.Table, inner_alias: str, negate: bool) -> exp.Expression:
    probe = exp.Exists(
        this=exp.select(exp.Literal.number(1)).from_(inner.copy().as_(inner_alias, quoted=True))
    )
    probe.this.set("where", exp.Where(this=_matches(keys)))
    return exp.Not(this=probe) if negate else probe


def target_rows_without_new_keys(
    target: exp.Table, stage: exp.Table, keys: Sequence[str], columns: Sequence[str]
) -> exp.Select:
    """Rows of the target whose key is not among the new rows."""
    return (
        exp.select(*(sql.col(c, T) for c in columns))
        .from_(target.copy().as_(T, quoted=True))
        .where(_exists(keys, stage, S, negate=True))
    )


def new_rows_not_in_target(
    target: exp.Table, stage: exp.Table, keys: Sequence[str], values: dict[str, exp.Expression]
) -> exp.Select:
    """New rows whose key the target does not hold yet (``append_only``)."""
    return (
        exp.select(*(exp.alias_(v, c, quoted=True) for c, v in values.items()))
        .from_(stage.copy().as_(S, quoted=True))
        .where(_exists(keys, target, T, negate=True))
    )


def upserted_rows(
    target: exp.Table,
    stage: exp.Table,
    keys: Sequence[str],
    columns: Sequence[str],
    all_columns: Sequence[str],
    audit: bool,
    only_changed: bool = False,
) -> exp.Select:
    """Each new row with what the target keeps for it: extra columns, ``created_at``, ``updated_at``;
    ``only_changed`` leaves out the rows the target already holds unchanged."""
    matched = exp.Not(this=exp.Is(this=sql.col(keys[0], T), expression=exp.null()))
    changing = [c for c in columns if c not in keys]
    changed = exp.or_(*(exp.NullSafeNEQ(this=sql.col(c, T), expression=sql.col(c, S)) for c in changing))
    values: list[exp.Expression] = []
    for c in all_columns:
        if c in columns:
            value: exp.Expression = sql.col(c, S)
        elif audit and c == sql.AUDIT_CREATED:
            value = exp.Coalesce(this=sql.col(c, T), expressions=[exp.CurrentTimestamp()])
        elif audit and c == sql.AUDIT_UPDATED:
            keep = exp.and_(matched, exp.Not(this=exp.paren(changed))) if changing else matched
            value = exp.If(this=keep, true=sql.col(c, T), false=exp.CurrentTimestamp())
        else:
            value = sql.col(c, T)
        values.append(exp.alias_(value, c, quoted=True))
    rows = (
        exp.select(*values)
        .from_(stage.copy().as_(S, quoted=True))
        .join(target.copy().as_(T, quoted=True), on=_matches(keys), join_type="LEFT")
    )
    if only_changed:
        new_key = exp.Is(this=sql.col(keys[0], T), expression=exp.null())
        rows = rows.where(exp.or_(new_key, exp.paren(changed)) if changing else new_key)
    return rows


def replaced_rows(stage: exp.Table, columns: Sequence[str], all_columns: Sequence[str]) -> exp.Select:
    """New rows as whole target rows; columns they do not have are NULL (delete + insert)."""
    return exp.select(
        *(sql.col(c, S) if c in columns else exp.alias_(exp.null(), c, quoted=True) for c in all_columns)
    ).from_(stage.copy().as_(S, quoted=True))


def rewrite_steps(
    description: str, target: exp.Table, merged_stage: exp.Table, merged: exp.Query, all_columns, caps
) -> list[Step]:
    """Stage the merged table, then overwrite the target with it in one statement."""
    return [
        *build_stage(merged_stage, merged, caps),
        ExecuteStep(
            description, overwrite(target, all_columns, sql.select_columns(all_columns, merged_stage)), True
        ),
        ExecuteStep("drop the merged stage", sql.drop(merged_stage, "TABLE")),
    ]
