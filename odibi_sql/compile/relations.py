"""Swap the render placeholders in a parsed query for real relations, CTEs and watermark filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlglot import exp

from odibi_sql.compile.sources import attached_table
from odibi_sql.render.context import HWM, REF_PREFIX, SOURCE_PREFIX, THIS
from odibi_sql.transforms.base import aliased

EPHEMERAL_PREFIX = "ephemeral__"
META_SCHEMA = "odibi_meta"
"""The schema of odibi-sql's own tables (batch fingerprints, external tables over files)."""


def relation_table(schema: str, table: str, alias: str | None = None) -> exp.Table:
    """``"schema"."table" [AS "alias"]``."""
    node = exp.table_(table, db=schema, quoted=True)
    return aliased(node, alias) if alias else node


def ephemeral_cte_name(node: str) -> str:
    return f"{EPHEMERAL_PREFIX}{node}"


def resolve_placeholders(
    query: exp.Query,
    relation_of: Callable[[str], exp.Table],
    this: exp.Table,
    hwm: exp.Expression | None,
    source_of: Callable[[str, str, str], exp.Expression] | None = None,
) -> exp.Query:
    """Replace ``__odibi_*`` placeholders.

    ``relation_of(node)`` gives the table (or ephemeral CTE) a ref reads; ``source_of(connection,
    table, alias)`` what ``source()`` of a database connection reads (default: the attached table). ``hwm`` is the watermark
    expression for an incremental run; ``None`` means a first run, where every predicate that
    compares against the watermark becomes TRUE (all rows qualify).
    """

    def read_source(connection: str, table: str, alias: str) -> exp.Expression:
        if source_of is not None:
            return source_of(connection, table, alias)
        return _aliased(attached_table(connection, table), alias)

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
            name = node.name
            alias = node.alias or None
            if name.startswith(REF_PREFIX):
                ref = name.removeprefix(REF_PREFIX)
                return _aliased(relation_of(ref), alias or ref)
            if name == THIS:
                return _aliased(this.copy(), alias or this.name)
            if name.startswith(SOURCE_PREFIX) and not node.db:
                connection, _, table = name.removeprefix(SOURCE_PREFIX).partition("__")
                return read_source(connection, table, alias or table)
            if node.db.startswith(SOURCE_PREFIX) and not node.catalog:  # source('c', 'schema.table')
                connection, _, schema = node.db.removeprefix(SOURCE_PREFIX).partition("__")
                return read_source(connection, f"{schema}.{name}", alias or name)
        return node

    query = query.transform(swap, copy=False)
    for column in list(query.find_all(exp.Column)):
        if column.name == HWM and not column.table:
            _replace_watermark(column, hwm)
    return query


def _aliased(table: exp.Table, alias: str) -> exp.Table:
    table = table.copy()
    table.set("alias", exp.TableAlias(this=exp.to_identifier(alias, quoted=True)))
    return table


def _replace_watermark(column: exp.Column, hwm: exp.Expression | None) -> None:
    predicate = column.find_ancestor(exp.Predicate)
    if hwm is None:
        (predicate or column).replace(exp.true())
        return
    if predicate is None:
        column.replace(hwm.copy())
        return
    column.replace(hwm.copy())
    # an empty target has no watermark yet: then every row qualifies
    predicate.replace(exp.paren(exp.or_(predicate.copy(), exp.Is(this=hwm.copy(), expression=exp.null()))))


def watermark(this: exp.Table, column: str) -> exp.Expression:
    """``(SELECT MAX(<column>) FROM <this>)``."""
    return exp.select(exp.Max(this=exp.column(column, quoted=True))).from_(this.copy()).subquery()


def add_watermark_filter(query: exp.Query, column: str, hwm: exp.Expression) -> exp.Select:
    """Keep rows newer than the target's watermark: ``SELECT * FROM (query) WHERE col > hwm OR hwm IS NULL``."""
    col = exp.column(column, quoted=True)
    condition = exp.or_(
        exp.GT(this=col, expression=hwm.copy()), exp.Is(this=hwm.copy(), expression=exp.null())
    )
    return exp.select(exp.Star()).from_(query.subquery("__incremental")).where(condition)


def prepend_ctes(query: exp.Query, ctes: Mapping[str, exp.Query]) -> exp.Query:
    """Put ``ctes`` first in the query's WITH (ephemeral nodes the query reads)."""
    if not ctes:
        return query
    new = [
        exp.CTE(this=body.copy(), alias=exp.TableAlias(this=exp.to_identifier(name, quoted=True)))
        for name, body in ctes.items()
    ]
    existing = query.args.get("with_")
    if existing is None:
        query.set("with_", exp.With(expressions=new))
    else:
        existing.set("expressions", [*new, *existing.expressions])
    return query
