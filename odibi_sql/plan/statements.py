"""AST builders for the statements materializations are made of, written once for every dialect."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlglot import exp

AUDIT_CREATED = "created_at"
AUDIT_UPDATED = "updated_at"


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def create_schema(schema: str) -> exp.Create:
    return exp.Create(this=exp.Table(db=ident(schema)), kind="SCHEMA", exists=True)


def create_table_as(
    table: exp.Table, query: exp.Query, replace: bool = True, temporary: bool = False
) -> exp.Create:
    properties = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
    return exp.Create(
        this=table.copy(), kind="TABLE", expression=query, replace=replace, properties=properties
    )


def create_view(table: exp.Table, query: exp.Query) -> exp.Create:
    return exp.Create(this=table.copy(), kind="VIEW", expression=query, replace=True)


def drop(table: exp.Table, kind: str) -> exp.Drop:
    return exp.Drop(tables=[table.copy()], kind=kind, exists=True)


def select_columns(columns: Sequence[str], source: exp.Expression) -> exp.Select:
    """``SELECT "a", "b" FROM <source>`` (a table, or a subquery)."""
    return exp.select(*(col(c) for c in columns)).from_(source)


def insert(table: exp.Table, columns: Sequence[str], query: exp.Query) -> exp.Insert:
    """``INSERT INTO t ("a", "b") <query>``: columns matched by name, never by position."""
    return exp.Insert(
        this=exp.Schema(this=table.copy(), expressions=[ident(c) for c in columns]), expression=query
    )


def delete(table: exp.Table, where: exp.Expression | None = None) -> exp.Delete:
    statement = exp.Delete(this=table.copy())
    return statement.where(where) if where is not None else statement


def keys_in(keys: Sequence[str], source: exp.Table) -> exp.Expression:
    """``(k1, k2) IN (SELECT k1, k2 FROM source)`` (``k IN (...)`` for one key)."""
    lhs: exp.Expression = col(keys[0]) if len(keys) == 1 else exp.Tuple(expressions=[col(k) for k in keys])
    return exp.In(this=lhs, query=exp.select(*(col(k) for k in keys)).from_(source.copy()).subquery())


def add_column(table: exp.Table, name: str, type_sql: str, dialect: str) -> exp.Alter:
    kind = exp.DataType.build(type_sql, dialect=dialect)
    return exp.Alter(this=table.copy(), kind="TABLE", actions=[exp.ColumnDef(this=ident(name), kind=kind)])


def drop_column(table: exp.Table, name: str) -> exp.Alter:
    return exp.Alter(
        this=table.copy(), kind="TABLE", actions=[exp.Drop(tables=[col(name)], kind="COLUMN", exists=True)]
    )


def with_audit_columns(query: exp.Query) -> exp.Select:
    """``SELECT *, CURRENT_TIMESTAMP AS created_at, CURRENT_TIMESTAMP AS updated_at FROM (query)``."""
    now = exp.CurrentTimestamp()
    return exp.select(
        exp.Star(),
        exp.alias_(now, AUDIT_CREATED, quoted=True),
        exp.alias_(now.copy(), AUDIT_UPDATED, quoted=True),
    ).from_(query.subquery("src"))


def merge(
    target: exp.Table,
    source: exp.Table,
    keys: Sequence[str],
    columns: Sequence[str],
    *,
    update: bool,
    insert_new: bool,
    delete_matched: bool = False,
    audit: bool = False,
) -> exp.Merge:
    """One ``MERGE INTO`` for the upsert / append_only / delete_match strategies."""
    t, s = "t", "s"
    on = exp.and_(*(exp.EQ(this=col(k, t), expression=col(k, s)) for k in keys))
    whens: list[exp.When] = []
    if delete_matched:
        whens.append(exp.When(matched=True, source=False, then=exp.var("DELETE")))
    elif update:
        sets = [exp.EQ(this=col(c), expression=col(c, s)) for c in columns if c not in keys]
        if audit:
            sets.append(exp.EQ(this=col(AUDIT_UPDATED), expression=exp.CurrentTimestamp()))
        if sets:
            changed = _any_differs([c for c in columns if c not in keys], t, s)
            whens.append(
                exp.When(matched=True, source=False, condition=changed, then=exp.Update(expressions=sets))
            )
    if insert_new:
        names = list(columns)
        values: list[exp.Expression] = [col(c, s) for c in columns]
        if audit:
            names += [AUDIT_CREATED, AUDIT_UPDATED]
            values += [exp.CurrentTimestamp(), exp.CurrentTimestamp()]
        whens.append(
            exp.When(
                matched=False,
                source=False,
                then=exp.Insert(
                    this=exp.Tuple(expressions=[col(c) for c in names]),
                    expression=exp.Tuple(expressions=values),
                ),
            )
        )
    return exp.Merge(
        this=target.copy().as_(t, quoted=True),
        using=source.copy().as_(s, quoted=True),
        on=on,
        whens=exp.Whens(expressions=whens),
    )


def _any_differs(columns: Iterable[str], t: str, s: str) -> exp.Expression | None:
    """Update only rows that changed (``t.c IS DISTINCT FROM s.c`` for any column): audit times stay true."""
    tests = [exp.NullSafeNEQ(this=col(c, t), expression=col(c, s)) for c in columns]
    return exp.paren(exp.or_(*tests)) if tests else None


def duplicate_keys(source: exp.Table | exp.Subquery, keys: Sequence[str], limit: int = 5) -> exp.Select:
    """Key values that occur more than once in ``source`` (a table, or a query as a subquery)."""
    count = exp.alias_(exp.Count(this=exp.Star()), "rows", quoted=True)
    return (
        exp.select(*(col(k) for k in keys), count)
        .from_(source.copy())
        .group_by(*(col(k) for k in keys))
        .having(exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1)))
        .limit(limit)
    )


def null_keys(source: exp.Table | exp.Subquery, keys: Sequence[str], limit: int = 5) -> exp.Select:
    condition = exp.or_(*(exp.Is(this=col(k), expression=exp.null()) for k in keys))
    return exp.select(*(col(k) for k in keys)).from_(source.copy()).where(condition).limit(limit)


def max_value(table: exp.Table, column: str) -> exp.Select:
    return exp.select(exp.Max(this=col(column))).from_(table.copy())


def row_count(table: exp.Table) -> exp.Select:
    return exp.select(exp.Count(this=exp.Star())).from_(table.copy())


def values_row(values: Mapping[str, exp.Expression]) -> exp.Select:
    return exp.select(*(exp.alias_(v, k, quoted=True) for k, v in values.items()))
