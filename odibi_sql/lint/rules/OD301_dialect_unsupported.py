from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, SqlglotError

from odibi_sql.diagnostics import Severity
from odibi_sql.dialect import capabilities, lower, unsupported
from odibi_sql.dialect.portability import registry
from odibi_sql.lint.context import LintContext, LintNode
from odibi_sql.lint.rule import DiagnosticRule, Violation

_MAX_DEPTH = 12


class DialectUnsupportedRule(DiagnosticRule):
    """A construct does not translate to a selected dialect.

    Each node's compiled query is lowered into every dialect linted (the target's, or those
    given with ``--dialect``). What the lowering knows it cannot express, and what sqlglot's
    generator reports as unsupported, is reported here instead of being silently rewritten
    into SQL that means something else. For a dialect with a portability registry (Spark) the
    lowering's own checks run while compiling, on the typed query, and are reported from there.

    **Anti-pattern**: ``select * replace (upper(name) as name)`` or ``arg_max(x, y, 3)`` in a
    project that also runs on Spark.

    **Best practice**: write the portable form (list the columns; use a window function), or
    keep the node DuckDB-only.
    """

    code = "OD301"
    name = "dialect-unsupported"
    severity = Severity.ERROR

    def check_node(self, node: LintNode, ctx: LintContext) -> Iterable[Violation]:
        if node.compiled is None or node.definition.spec.read is not None:
            return
        for dialect in ctx.dialects:
            queries = [node.compiled.query, node.compiled.incremental_query]
            messages: dict[str, Callable[[exp.Expression], bool]] = {}
            checked_at_compile = registry(dialect) is not None
            for query in filter(None, queries):
                for message in [] if checked_at_compile else unsupported(query, dialect):
                    messages.setdefault(message, lambda e, m=message, d=dialect: m in unsupported(e, d))
                if dialect == node.read_dialect:
                    continue  # the SQL was read in this dialect: sqlglot writes it back as it was
                for message in generator_unsupported(query, dialect):
                    messages.setdefault(
                        message, lambda e, m=message, d=dialect: m in generator_unsupported(e, d)
                    )
            for message, applies in messages.items():
                yield Violation(
                    f"{dialect}: {message}",
                    _locate(node, applies),
                    node.name,
                    f"write a form {dialect} can express, or do not build this node for {dialect}",
                )


def generator_unsupported(expression: exp.Expression, dialect: str) -> list[str]:
    """What sqlglot's generator cannot express when writing the lowered ``expression`` for ``dialect``."""
    generator = Dialect.get_or_raise(capabilities(dialect).sqlglot_dialect).generator(
        unsupported_level=ErrorLevel.IGNORE
    )
    try:
        generator.generate(lower(expression, dialect), copy=False)
    except SqlglotError as exc:
        return [str(exc)]
    return list(dict.fromkeys(generator.unsupported_messages))


def _locate(node: LintNode, applies: Callable[[exp.Expression], bool]):
    """Narrow down to the smallest part of the user's SQL the message still applies to."""
    current = node.source
    if current is None or not applies(current):
        return node.definition.locate("transform") if node.definition.spec.transform else node.sql_location
    for _ in range(_MAX_DEPTH):
        child = next((c for c in current.iter_expressions() if applies(c)), None)
        if child is None:
            break
        current = child
    return node.locate(current)
