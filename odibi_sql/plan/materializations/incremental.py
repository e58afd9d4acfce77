"""``incremental``: build from the first-run query while the target is missing (or on --full-refresh),
then load only new rows with the configured write mode.

The incremental query is staged first (a temporary table, or a stage table where the dialect has
none), so the key checks, the batch fingerprint and the write all read the same rows, and a query
that reads its own target (``{{ this }}``, ``hwm``) is evaluated before the target changes. Where
the table format has no MERGE / DELETE the write is a staged rewrite (``plan/rewrite.py``).
"""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.dialect.capabilities import InsertOverwriteStrategy, UpsertStrategy
from odibi_sql.plan import rewrite, storage, watermark
from odibi_sql.plan import statements as sql
from odibi_sql.plan.batches import batch_already_loaded, record_batch
from odibi_sql.plan.errors import PlanError
from odibi_sql.plan.materializations import PlanContext
from odibi_sql.plan.state import TargetState
from odibi_sql.plan.steps import CheckStep, ExecuteStep, NodePlan, Reason, Step
from odibi_sql.project.node_spec import MergeStrategy, OnSchemaChange, WriteMode

AUDIT = (sql.AUDIT_CREATED, sql.AUDIT_UPDATED)


class IncrementalMaterialization:
    def validate(self, node: CompiledNode) -> None:
        """Settings that can never work, whatever the target holds (raises ``PlanError``)."""
        _validate(node, node.write_mode)

    def plan(self, node: CompiledNode, state: TargetState, ctx: PlanContext) -> NodePlan:
        write = node.definition.spec.write
        mode = node.write_mode
        _validate(node, mode)
        latest = sql.max_value(node.table(), write.hwm_column) if write.hwm_column else None
        if not state.exists or state.kind != "table" or ctx.full_refresh:
            reason = Reason.FULL_REFRESH if state.exists else Reason.FIRST_RUN
            steps = _first_run(node, state, ctx)
            warnings = storage.storage_warnings(node, ctx.capabilities)
            return NodePlan(node.name, "incremental", reason, steps, warnings=warnings, watermark=latest)
        stage = storage.stage_table(node, ctx.capabilities)
        steps: list[Step] = storage.build_stage(stage, incremental_query(node, state, ctx), ctx.capabilities)
        schema_steps, warnings = _schema_change(node, state, ctx)
        steps += schema_steps
        steps += _write(node, mode, stage, state, ctx)
        reason = Reason.SCHEMA_CHANGE if schema_steps else Reason.INCREMENTAL
        steps.append(ExecuteStep("drop the stage", sql.drop(stage, "TABLE")))
        return NodePlan(node.name, "incremental", reason, steps, warnings=warnings, watermark=latest)


def incremental_query(node: CompiledNode, state: TargetState, ctx: PlanContext) -> exp.Query:
    """The incremental query, with the watermark the runner read put in as a literal."""
    query, column = node.incremental_query, node.definition.spec.write.hwm_column
    assert query is not None
    if column is None or state.watermark is None:
        return query
    return watermark.resolve(
        query, node.table(), column, state.watermark, state.columns.get(column), ctx.dialect
    )


def _validate(node: CompiledNode, mode: WriteMode) -> None:
    write = node.definition.spec.write
    where = node.definition.locate("write")
    if mode in (WriteMode.MERGE, WriteMode.DELETE_INSERT) and not write.unique_key:
        raise PlanError(
            node.name,
            f"write.mode {mode.value} needs write.unique_key",
            where,
            hint="set write.unique_key to the column(s) that identify a row, e.g. [order_id]",
        )
    for key in [*write.unique_key, *write.partition_by, *([write.hwm_column] if write.hwm_column else [])]:
        if key not in node.columns:
            raise PlanError(
                node.name,
                f"write refers to column '{key}', which the node does not produce",
                where,
                hint=f"the node's columns: {', '.join(node.columns)}",
            )
    if mode is WriteMode.MERGE and write.audit_columns:
        clash = [c for c in AUDIT if c in node.columns]
        if clash:
            raise PlanError(
                node.name,
                f"write.audit_columns adds {', '.join(AUDIT)} but the node already has {', '.join(clash)}",
                where,
                hint="rename those columns, or turn audit_columns off",
            )


def _first_run(node: CompiledNode, state: TargetState, ctx: PlanContext) -> list[Step]:
    write = node.definition.spec.write
    table = node.table()
    query: exp.Query = node.query
    if node.write_mode is WriteMode.MERGE and write.audit_columns:
        query = sql.with_audit_columns(query)
    steps: list[Step] = [ExecuteStep("create the schema", sql.create_schema(node.relation[0]))]
    if state.exists and state.kind == "view":
        steps.append(ExecuteStep("drop the view this table replaces", sql.drop(table, "VIEW")))
    exists = state.exists and state.kind == "table"
    build = storage.replace_table(
        node, query, ctx.capabilities, exists, "build the table from the first-run query"
    )
    if node.write_mode is WriteMode.APPEND:  # the first batch too: running it again appends nothing
        build.append(record_batch(node.name, table, list(node.columns)))
    if not write.unique_key or node.write_mode not in (WriteMode.MERGE, WriteMode.DELETE_INSERT):
        return steps + build
    if ctx.capabilities.supports_transactions:  # check what was built; a failure rolls it back
        return steps + build + _key_checks(node, table, write.unique_key)
    return steps + _key_checks(node, node.query.subquery("incoming"), write.unique_key) + build


def _schema_change(node: CompiledNode, state: TargetState, ctx: PlanContext) -> tuple[list[Step], list[str]]:
    write = node.definition.spec.write
    existing = {c for c in state.columns if not (write.audit_columns and c in AUDIT)}
    new = [c for c in node.columns if c not in state.columns]
    removed = sorted(existing - set(node.columns))
    if not new and not removed:
        return [], []
    policy = write.on_schema_change
    change = ", ".join([*(f"+{c}" for c in new), *(f"-{c}" for c in removed)])
    if policy is OnSchemaChange.FAIL:
        raise PlanError(
            node.name,
            f"the query's columns differ from the target's ({change})",
            node.definition.locate("write"),
            hint="set write.on_schema_change to append_new_columns or sync_all_columns, or run with --full-refresh",
        )
    steps: list[Step] = []
    for column in new:
        type_sql = node.columns[column]
        if type_sql is None:
            raise PlanError(
                node.name,
                f"cannot add column '{column}': its type is unknown",
                node.definition.locate("write"),
                hint=f"cast it in the SQL, e.g. cast(... as varchar) as {column}",
            )
        steps.append(
            ExecuteStep(f"add column {column}", sql.add_column(node.table(), column, type_sql, "duckdb"))
        )
    warnings = []
    if policy is OnSchemaChange.SYNC_ALL_COLUMNS and removed and ctx.capabilities.supports_drop_column:
        steps += [ExecuteStep(f"drop column {c}", sql.drop_column(node.table(), c)) for c in removed]
    elif policy is OnSchemaChange.SYNC_ALL_COLUMNS and removed:  # rewrite the rows without them
        kept = [c for c in [*state.columns, *new] if c not in removed]
        rows = sql.select_columns(kept, node.table())
        steps += storage.replace_table(
            node, rows, ctx.capabilities, True, f"rewrite the table without {', '.join(removed)}"
        )
    elif removed:
        warnings.append(f"columns no longer produced stay in the target as NULL: {', '.join(removed)}")
    return steps, warnings


def _write(
    node: CompiledNode, mode: WriteMode, stage: exp.Table, state: TargetState, ctx: PlanContext
) -> list[Step]:
    write = node.definition.spec.write
    table = node.table()
    columns = list(node.columns)
    from_stage = sql.select_columns(columns, stage)
    caps = ctx.capabilities
    if mode is WriteMode.APPEND:
        return [
            batch_already_loaded(node.name, stage, columns),
            ExecuteStep("append the new rows", sql.insert(table, columns, from_stage), True),
            record_batch(node.name, stage, columns),
        ]
    if mode in (WriteMode.OVERWRITE, WriteMode.INSERT_OVERWRITE) and (
        caps.insert_overwrite is InsertOverwriteStrategy.INSERT_OVERWRITE
    ):  # one statement: atomic without a transaction
        what = (
            f"the partitions ({', '.join(write.partition_by)}) of" if write.partition_by else "every row of"
        )
        return [
            ExecuteStep(f"overwrite {what} the table", storage.overwrite(table, columns, from_stage), True)
        ]
    if mode is WriteMode.OVERWRITE:
        return [
            ExecuteStep("delete every row", sql.delete(table)),
            ExecuteStep("insert the new rows", sql.insert(table, columns, from_stage), True),
        ]
    if mode is WriteMode.INSERT_OVERWRITE:
        where = sql.keys_in(write.partition_by, stage) if write.partition_by else None
        what = f"partitions ({', '.join(write.partition_by)})" if write.partition_by else "every row"
        return [
            ExecuteStep(f"delete the {what} being replaced", sql.delete(table, where)),
            ExecuteStep("insert the new rows", sql.insert(table, columns, from_stage), True),
        ]
    keys = write.unique_key
    checks = _key_checks(node, stage, keys)
    transactional_delete = caps.supports_update_delete and caps.supports_transactions
    if not caps.supports_merge or (mode is WriteMode.DELETE_INSERT and not transactional_delete):
        return [*checks, *_rewrite(node, mode, stage, state, ctx)]
    if mode is WriteMode.DELETE_INSERT:
        return [
            *checks,
            ExecuteStep("delete rows with incoming keys", sql.delete(table, sql.keys_in(keys, stage))),
            ExecuteStep("insert the new rows", sql.insert(table, columns, from_stage), True),
        ]
    strategy = write.strategy
    by_delete = caps.upsert is UpsertStrategy.DELETE_INSERT and transactional_delete
    if strategy is MergeStrategy.UPSERT and by_delete:
        return [*checks, *_upsert_by_delete_insert(node, stage, state, ctx)]
    statement = sql.merge(
        table,
        stage,
        keys,
        columns,
        update=strategy is MergeStrategy.UPSERT,
        insert_new=strategy is not MergeStrategy.DELETE_MATCH,
        delete_matched=strategy is MergeStrategy.DELETE_MATCH,
        audit=write.audit_columns,
    )
    return [*checks, ExecuteStep(f"merge ({strategy.value})", statement, True)]


def _key_checks(node: CompiledNode, stage: exp.Table | exp.Subquery, keys: list[str]) -> list[Step]:
    names = ", ".join(keys)
    return [
        CheckStep(
            "check the unique_key has no NULLs",
            sql.null_keys(stage, keys),
            f"unique_key ({names}) is NULL in incoming rows",
            hint="filter or fill NULL keys upstream; a merge cannot match them",
        ),
        CheckStep(
            "check the unique_key is unique",
            sql.duplicate_keys(stage, keys),
            f"unique_key ({names}) is not unique in the incoming rows",
            hint="deduplicate upstream (e.g. the deduplicate transform) or widen unique_key",
        ),
    ]


def _target_columns(node: CompiledNode, state: TargetState) -> list[str]:
    """The target's columns once the schema change ran: the query's, the audit columns, and (but
    with ``sync_all_columns``, which drops them) the ones the query no longer produces."""
    write = node.definition.spec.write
    audit = AUDIT if write.audit_columns and node.write_mode is WriteMode.MERGE else ()
    kept = () if write.on_schema_change is OnSchemaChange.SYNC_ALL_COLUMNS else state.columns
    return list(dict.fromkeys([*node.columns, *audit, *kept]))


def _upsert_by_delete_insert(
    node: CompiledNode, stage: exp.Table, state: TargetState, ctx: PlanContext
) -> list[Step]:
    """merge (upsert) as DELETE + INSERT in the node's transaction; leaves what MERGE leaves. The
    new and changed rows are staged joined to the rows they replace, which keep their
    ``created_at`` and the columns the query no longer produces; unchanged rows are not touched."""
    write = node.definition.spec.write
    table, keys, columns = node.table(), write.unique_key, list(node.columns)
    audit = write.audit_columns
    all_columns = _target_columns(node, state)
    rows = rewrite.upserted_rows(table, stage, keys, columns, all_columns, audit, only_changed=True)
    changed = storage.stage_table(node, ctx.capabilities, "upsert")
    return [
        *storage.build_stage(changed, rows, ctx.capabilities),
        ExecuteStep(
            "merge (upsert): delete the rows being replaced", sql.delete(table, sql.keys_in(keys, changed))
        ),
        ExecuteStep(
            "merge (upsert): insert the new and changed rows",
            sql.insert(table, all_columns, sql.select_columns(all_columns, changed)),
            True,
        ),
        ExecuteStep("drop the upsert stage", sql.drop(changed, "TABLE")),
    ]


def _rewrite(
    node: CompiledNode, mode: WriteMode, stage: exp.Table, state: TargetState, ctx: PlanContext
) -> list[Step]:
    """merge / delete_insert where the table format has no MERGE or DELETE: a staged rewrite."""
    write = node.definition.spec.write
    table, keys, columns = node.table(), write.unique_key, list(node.columns)
    audit = write.audit_columns and mode is WriteMode.MERGE
    all_columns = _target_columns(node, state)
    strategy = write.strategy if mode is WriteMode.MERGE else None
    if strategy is MergeStrategy.APPEND_ONLY:
        now = exp.CurrentTimestamp()
        values = {
            c: (sql.col(c, rewrite.S) if c in columns else now.copy() if c in AUDIT and audit else exp.null())
            for c in all_columns
        }
        new = rewrite.new_rows_not_in_target(table, stage, keys, values)
        return [
            ExecuteStep("merge (append_only): insert new keys", sql.insert(table, all_columns, new), True)
        ]
    kept = rewrite.target_rows_without_new_keys(table, stage, keys, all_columns)
    if strategy is MergeStrategy.DELETE_MATCH:
        merged: exp.Query = kept
    elif strategy is MergeStrategy.UPSERT:
        merged = exp.union(
            kept, rewrite.upserted_rows(table, stage, keys, columns, all_columns, audit), distinct=False
        )
    else:
        merged = exp.union(kept, rewrite.replaced_rows(stage, columns, all_columns), distinct=False)
    what = (
        f"merge ({strategy.value})" if strategy else "delete rows with incoming keys and insert the new rows"
    )
    merged_stage = storage.stage_table(node, ctx.capabilities, "merged")
    return rewrite.rewrite_steps(
        f"{what}: rewrite the table", table, merged_stage, merged, all_columns, ctx.capabilities
    )
