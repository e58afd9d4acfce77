"""Parse rendered SQL into one query AST; parse errors map back to the user's file."""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, TokenError

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
    return statements[0]
