"""Qualify a query against the schemas of its upstream relations.

Expands stars, qualifies every column, and reports *every* unknown or ambiguous column with its
position (sqlglot's own validation stops at the first and cannot tell the two apart).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import OptimizeError, SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope
from sqlglot.schema import MappingSchema

from odibi_sql.compile.struct_stars import expand_struct_stars, struct_stars
from odibi_sql.diagnostics import did_you_mean

ColumnTypes = dict[str, str | None]
Schemas = Mapping[tuple[str, str], Mapping[str, str | None]]
"""``{(schema, table): {column: type}}`` of the relations a query may read."""


@dataclass(frozen=True)
class ColumnProblem:
    message: str
    line: int
    start: int | None
    hint: str | None = None
    code: str = "ODB000"  # OD102 unknown column, OD103 ambiguous column (the lint rules' codes)


@dataclass
class QualifiedQuery:
    query: exp.Query
    columns: ColumnTypes
    problems: list[ColumnProblem]


def build_schema(relations: Schemas, dialect: str) -> MappingSchema:
    """The relations as sqlglot sees them, names folded the way ``dialect`` matches them (DuckDB and
    Spark: case-insensitively), as the query's identifiers are before they are looked up."""
    mapping: dict[str, dict[str, dict[str, exp.DataType | str]]] = {}
    for (db, table), columns in relations.items():
        mapping.setdefault(_fold(db, dialect), {})[_fold(table, dialect)] = {
            _fold(c, dialect): _data_type(t or "UNKNOWN", dialect) for c, t in columns.items()
        }
    return MappingSchema(mapping, dialect=dialect, normalize=False)


@functools.cache
def _fold(name: str, dialect: str) -> str:
    """A catalog name as ``dialect`` resolves it (a quoted identifier: its case kept only where the
    dialect is case-sensitive for quoted names)."""
    return Dialect.get_or_raise(dialect).normalize_identifier(exp.to_identifier(name, quoted=True)).name


@functools.cache
def _data_type(name: str, dialect: str) -> exp.DataType | str:
    """The parsed type, once per process (as ``MappingSchema`` would parse it, once per schema);
    a type sqlglot cannot parse stays text, for annotation to give up on as before."""
    engine = Dialect.get_or_raise(dialect)
    try:
        datatype = exp.DataType.from_str(name, dialect=engine, udt=engine.SUPPORTS_USER_DEFINED_TYPES)
    except SqlglotError:
        return name
    return datatype.transform(engine.normalize_identifier, copy=False)


def qualify_query(
    query: exp.Query, relations: Schemas, dialect: str, with_types: bool = True
) -> QualifiedQuery:
    """Qualify ``query``; unknown/ambiguous columns are returned as problems, not raised."""
    schema = build_schema(relations, dialect)
    try:
        qualified = qualify(
            query,
            schema=schema,
            dialect=dialect,
            validate_qualify_columns=False,
            identify=False,
            quote_identifiers=True,
        )
    except OptimizeError as exc:
        return QualifiedQuery(query, {}, [_optimize_problem(query, str(exc), relations)])
    if struct_stars(qualified):
        left = expand_struct_stars(qualified, schema, dialect)
        if left:
            return QualifiedQuery(qualified, {}, [_struct_star_problem(star) for star in left])
        qualified = qualify(qualified, schema=schema, dialect=dialect, validate_qualify_columns=False)
    problems = _unresolved_columns(qualified, schema)
    columns: ColumnTypes = {}
    if not problems:
        typed = qualified
        if with_types:
            try:
                typed = annotate_types(qualified, schema=schema, dialect=dialect)
            except SqlglotError:  # types are best effort; names are what must be right
                typed = qualified
        for select in typed.selects:
            name = select.alias_or_name
            columns[name] = _type_name(select.type, dialect) or _list_type(select)
    return QualifiedQuery(qualified, columns, problems)


def _type_name(datatype: exp.DataType | None, dialect: str) -> str | None:
    if datatype is None or datatype.this in (exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL):
        return None
    if not datatype.expressions:
        return _simple_type_name(datatype.this, dialect)
    return datatype.sql(dialect=dialect)


def _list_type(select: exp.Expression) -> str | None:
    """``string_split`` / ``str_split`` (sqlglot leaves them untyped): a list of text on DuckDB
    and Spark alike."""
    return "VARCHAR[]" if isinstance(select.unalias(), exp.Split) else None


@functools.cache
def _simple_type_name(kind: exp.DataType.Type, dialect: str) -> str:
    if kind in (exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR):
        return "VARCHAR"  # the name DuckDB and users know; sqlglot prints TEXT
    return exp.DataType(this=kind).sql(dialect=dialect)


def _unresolved_columns(query: exp.Query, schema: MappingSchema) -> list[ColumnProblem]:
    problems: list[ColumnProblem] = []
    for scope in traverse_scope(query):
        if not isinstance(scope.expression, exp.Select):
            continue
        available = _columns_by_source(scope, schema)
        if scope.external_columns and not scope.is_correlated_subquery and not scope.pivots:
            for column in scope.external_columns:
                if column.table:
                    problems.append(_unknown(column, available))
        for column in scope.unqualified_columns:
            owners = [src for src, cols in available.items() if column.name in cols]
            if len(owners) > 1:
                problems.append(
                    ColumnProblem(
                        f'column "{column.name}" is ambiguous: it exists in {", ".join(sorted(owners))}',
                        column.this.meta.get("line", 0),
                        column.this.meta.get("start"),
                        hint=f"qualify it, e.g. {sorted(owners)[0]}.{column.name}",
                        code="OD103",
                    )
                )
            else:
                problems.append(_unknown(column, available))
    return problems


def _struct_star_problem(star: exp.Dot) -> ColumnProblem:
    column = star.this
    name = column.name if isinstance(column, exp.Column) else column.sql()
    return ColumnProblem(
        f'cannot expand "{name}.*": the type of "{name}" is not a struct with known fields',
        column.this.meta.get("line", 0) if isinstance(column, exp.Column) else 0,
        column.this.meta.get("start") if isinstance(column, exp.Column) else None,
        hint=f"list the fields instead, e.g. {name}.a as a, or cast {name} to a STRUCT(...) type",
    )


def _optimize_problem(query: exp.Query, message: str, relations: Schemas) -> ColumnProblem:
    """sqlglot stops at a qualified reference to a missing column (``t.nope``); locate it."""
    first = message.splitlines()[0]
    name = first.removeprefix("Unknown column: ").strip() if first.startswith("Unknown column:") else None
    column = next((c for c in query.find_all(exp.Column) if name and c.name == name), None)
    if column is None:
        return ColumnProblem(first, 0, None)
    return _unknown(column, {table: list(cols) for (_, table), cols in relations.items()})


def _unknown(column: exp.Column, available: Mapping[str, list[str]]) -> ColumnProblem:
    candidates = [c for cols in available.values() for c in cols]
    if column.table and column.table in available:
        candidates = available[column.table]
    where = f" in {column.table}" if column.table else ""
    return ColumnProblem(
        f'column "{column.name}" does not exist{where}.{did_you_mean(column.name, candidates)}',
        column.this.meta.get("line", 0),
        column.this.meta.get("start"),
        hint=f"available columns: {', '.join(dict.fromkeys(candidates)) or '(none)'}",
        code="OD102",
    )


def _columns_by_source(scope: Scope, schema: MappingSchema) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, (_, node) in scope.selected_sources.items():
        if isinstance(node, Scope):
            out[name] = list(node.expression.named_selects)
        elif isinstance(node, exp.Table):
            try:
                out[name] = list(schema.column_names(node))
            except SqlglotError:
                out[name] = []
    return out
