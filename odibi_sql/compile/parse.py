"""Parse rendered SQL into one query AST; parse errors map back to the user's file."""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.optimizer.annotate_types import annotate_types

from odibi_sql.diagnostics import Diagnostic
from odibi_sql.render.context import RenderedSQL


class SQLParseError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


def parse_query(rendered: RenderedSQL, dialect: str, node: str) -> exp.Query:
    """Parse exactly one SELECT-like statement (SELECT, UNION, WITH ... SELECT)."""
    text = rendered.text
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
