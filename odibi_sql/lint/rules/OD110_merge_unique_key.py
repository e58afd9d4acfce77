from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.context import LintContext, LintNode, ref_name
from odibi_sql.lint.rule import Rule, Violation
from odibi_sql.project.node_spec import WriteMode

_MAX_DEPTH = 8
_KEEPS_ROWS = frozenset(
    {
        "filter_rows",
        "derive_columns",
        "cast_columns",
        "select_columns",
        "drop_columns",
        "clean_text",
        "split_part",
        "case_when",
        "regex_replace",
        "extract_date_parts",
        "date_add",
        "date_trunc",
        "date_diff",
        "convert_timezone",
        "dict_based_mapping",
        "validate_and_flag",
        "hash_columns",
        "surrogate_key",
        "fill_nulls",
        "deduplicate",
    }
)
"""Transform steps that never repeat a row: uniqueness upstream still holds after them."""


class MergeUniqueKeyRule(Rule):
    """A merge has no unique_key, or its key is not unique in the rows merged.

    A MERGE matches each incoming row to at most one target row by ``unique_key``. Without a
    key there is nothing to match on; with a key that repeats in the incoming rows the merge
    fails (DuckDB, Delta) or updates rows nondeterministically. Uniqueness is known from
    upstream ``unique`` column tests, upstream merge keys, ``deduplicate`` steps, ``GROUP BY``
    and ``DISTINCT``, followed through plain projections; when nothing is known, only the
    key's presence is checked.

    **Anti-pattern**: ``write: {mode: merge, unique_key: [customer_id]}`` over order rows that
    are unique on ``order_id``.

    **Best practice**: merge on the key the rows are unique on, or make them unique first
    (``transform: [{deduplicate: {keys: [customer_id], order_by: updated_at desc}}]``).
    """

    code = "OD110"
    name = "merge-unique-key"
    severity = Severity.ERROR

    def check_node(self, node: LintNode, ctx: LintContext) -> Iterable[Violation]:
        write = node.definition.spec.write
        if node.compiled is None or node.compiled.write_mode is not WriteMode.MERGE:
            return
        if not write.unique_key:
            yield Violation(
                "write mode merge has no unique_key to match rows on",
                node.definition.locate("write"),
                node.name,
                "set write.unique_key to the column(s) that identify a row, e.g. unique_key: [order_id]",
            )
            return
        columns = {c.lower() for c in node.compiled.columns}
        for i, key in enumerate(write.unique_key):
            if key.lower() not in columns:
                yield Violation(
                    f"unique_key column '{key}' is not a column of the node",
                    node.definition.locate("write", "unique_key", i),
                    node.name,
                    f"the node has: {', '.join(node.compiled.columns)}",
                )
                return
        known = unique_sets(ctx, node.name, own_key=False)
        key = frozenset(k.lower() for k in write.unique_key)
        if known and not any(s <= key for s in known):
            described = " or ".join("(" + ", ".join(sorted(s)) + ")" for s in known)
            yield Violation(
                f"unique_key ({', '.join(write.unique_key)}) is not unique in the rows merged: "
                f"they are unique on {described}",
                node.definition.locate("write", "unique_key"),
                node.name,
                "merge on a key the rows are unique on, or deduplicate them on the key first",
            )


def unique_sets(ctx: LintContext, name: str, own_key: bool = True, depth: int = 0) -> list[frozenset[str]]:
    """Column sets (lower case) ``name``'s rows are known to be unique on; empty when unknown."""
    node = ctx.compiled.nodes.get(name)
    if node is None or depth > _MAX_DEPTH:
        return []
    spec = node.definition.spec
    sets: list[frozenset[str]] = []
    if own_key and node.write_mode is WriteMode.MERGE and spec.write.unique_key:
        sets.append(frozenset(k.lower() for k in spec.write.unique_key))
    for column, column_spec in spec.columns.items():
        if "unique" in column_spec.tests:
            sets.append(frozenset([column.lower()]))
    for step in spec.transform:
        keys = (step.get("deduplicate") or {}).get("keys") if isinstance(step, dict) else None
        if keys:
            sets.append(frozenset(k.lower() for k in ([keys] if isinstance(keys, str) else keys)))
    source = ctx.source(name)
    upstream, passed = None, None
    if isinstance(source, exp.Select):
        sets += _own_unique_sets(source)
        upstream, passed = _single_upstream(source), _passed_through(source)
    elif spec.sql is None and len(spec.inputs) == 1:
        upstream = spec.inputs[0]
    keeps_keys = all(isinstance(s, dict) and set(s) <= _KEEPS_ROWS for s in spec.transform)
    if upstream is not None and keeps_keys:
        outputs = {c.lower() for c in node.columns}
        for found in unique_sets(ctx, upstream, True, depth + 1):
            if found <= outputs and (passed is None or found <= passed):
                sets.append(found)
    return list(dict.fromkeys(sets))


def _own_unique_sets(select: exp.Select) -> list[frozenset[str]]:
    outputs = {e.alias_or_name.lower() for e in select.expressions}
    sets = []
    group = select.args.get("group")
    if group is not None and group.expressions and all(isinstance(e, exp.Column) for e in group.expressions):
        names = frozenset(e.name.lower() for e in group.expressions)
        if names <= outputs:
            sets.append(names)
    if select.args.get("distinct") is not None and not any(
        isinstance(e, exp.Star) for e in select.expressions
    ):
        sets.append(frozenset(outputs))
    return sets


def _single_upstream(select: exp.Select) -> str | None:
    """The node a plain ``select ... from ref(x) [where ...]`` reads (no joins, grouping, unnest)."""
    source = select.args.get("from_")
    if source is None or select.args.get("joins") or select.args.get("group") is not None:
        return None
    if not isinstance(source.this, exp.Table) or select.find(exp.Unnest, exp.Explode) is not None:
        return None
    return ref_name(source.this)


def _passed_through(select: exp.Select) -> frozenset[str] | None:
    """Columns output unchanged under their own name (None: all of them, through ``*``)."""
    if any(isinstance(e, exp.Star) or (isinstance(e, exp.Column) and e.is_star) for e in select.expressions):
        return None
    return frozenset(
        e.name.lower()
        for e in select.expressions
        if isinstance(e, exp.Column)
        or (isinstance(e, exp.Alias) and isinstance(e.this, exp.Column) and e.alias == e.this.name)
    )
