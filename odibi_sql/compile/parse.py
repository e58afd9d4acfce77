"""Parse rendered SQL into one query AST; parse errors map back to the user's file."""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.tokens import TokenType

from odibi_sql.diagnostics import Diagnostic
from odibi_sql.render.context import RenderedSQL

MAX_SQL_NESTING = 200
"""Deepest nesting of parentheses in a node's SQL (subqueries, function calls, expressions)."""

MAX_SQL_DEPTH = 1_000
"""Deepest syntax tree of a node's SQL: each UNION, operator or call adds a level (a chain of
thousands of UNIONs or of ``a + b + ...`` makes the later passes slow and recursive)."""

_DEPTH_CHECKED_ABOVE = 10_000
"""SQL shorter than this (characters) cannot reach ``MAX_SQL_DEPTH``: not walked."""


class SQLParseError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


def parse_query(rendered: RenderedSQL, dialect: str, node: str) -> exp.Query:
    """Parse exactly one SELECT-like statement (SELECT, UNION, WITH ... SELECT)."""
    text = rendered.text
    _check_nesting(rendered, dialect, node)
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect, error_level=ErrorLevel.RAISE) if s]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        line = first.get("line") or 1
        col = max((first.get("col") or 1) - len(first.get("highlight") or "x") + 1, 1)
        description = first.get("description") or str(exc).splitlines()[0]
        raise SQLParseError(
            Diagnostic(
                f"SQL does not parse: {description}",
                rendered.locate(line, col),
                node=node,
                snippet=rendered.snippet(line, col),
                hint="fix the SQL near the marked position",
                code="OD101",
            )
        ) from None
    except TokenError as exc:
        raise SQLParseError(
            Diagnostic(
                f"SQL does not parse: {exc}",
                rendered.origin,
                node=node,
                hint="check quotes and comments",
                code="OD101",
            )
        ) from None
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        found = f"{len(statements)} statements" if statements else "no statement"
        if len(statements) == 1:
            found = f"`{statements[0].sql(dialect=dialect)[:60]}`"
        raise SQLParseError(
            Diagnostic(
                f"a node's SQL must be one SELECT query, found {found}",
                rendered.origin,
                node=node,
                hint="write only the SELECT; odibi-sql generates CREATE/INSERT/MERGE from `materialized` and `write`",
                code="OD101",
            )
        )
    if len(text) > _DEPTH_CHECKED_ABOVE:
        _check_depth(statements[0], rendered, node)
    return pin_list_positions(statements[0], dialect)


def pin_list_positions(query: exp.Query, dialect: str) -> exp.Query:
    """Mark list subscripts the parser left as written (``l[i]``) as positions in ``dialect``'s base.

    sqlglot's parser converts a subscript to 0-based only when it can tell it is an integer (a
    literal: ``l[1]`` holds 0), but its generator converts every integer subscript of a typed list:
    once the compiler has typed ``l`` and ``i``, ``l[i]`` would be written back as ``l[i + 1]``
    (the next element). Setting the subscript's ``offset`` to the dialect's base keeps it as written
    (and tells other dialects how to convert it).
    """
    base = Dialect.get_or_raise(dialect).INDEX_OFFSET
    if not base:
        return query
    for bracket in query.find_all(exp.Bracket):
        if bracket.args.get("json_access") or bracket.args.get("offset") or len(bracket.expressions) != 1:
            continue
        index = bracket.expressions[0]
        if isinstance(index, exp.Slice):
            continue
        if not annotate_types(index.copy(), dialect=dialect).is_type(*exp.DataType.INTEGER_TYPES):
            bracket.set("offset", base)
    return query


def nested_too_deeply(
    node: str, location, levels: str = f"{MAX_SQL_NESTING} levels of parentheses"
) -> Diagnostic:
    return Diagnostic(
        f"the SQL is nested too deeply (more than {levels})",
        location,
        node=node,
        hint="split the query into CTEs or nodes",
        code="OD101",
    )


def _check_nesting(rendered: RenderedSQL, dialect: str, node: str) -> None:
    """Refuse SQL nested deeper than ``MAX_SQL_NESTING`` before parsing it (parsing and every
    later pass recurse per level); cheap unless the text has that many parentheses at all."""
    if rendered.text.count("(") <= MAX_SQL_NESTING:
        return
    depth = 0
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(rendered.text)
    except TokenError:
        return  # the parser reports it
    for token in tokens:
        if token.token_type is TokenType.L_PAREN:
            depth += 1
            if depth > MAX_SQL_NESTING:
                raise SQLParseError(nested_too_deeply(node, rendered.locate(token.line, token.col)))
        elif token.token_type is TokenType.R_PAREN:
            depth -= 1


def _check_depth(query: exp.Expression, rendered: RenderedSQL, node: str) -> None:
    """Refuse a syntax tree deeper than ``MAX_SQL_DEPTH`` (walked without recursion)."""
    stack = [(query, 1)]
    while stack:
        expression, depth = stack.pop()
        if depth > MAX_SQL_DEPTH:
            line = expression.meta.get("line") if expression.meta else None
            where = rendered.locate(line) if line else rendered.origin
            raise SQLParseError(
                nested_too_deeply(node, where, f"{MAX_SQL_DEPTH} levels of UNIONs, operators or calls")
            )
        stack.extend((child, depth + 1) for child in expression.iter_expressions())
