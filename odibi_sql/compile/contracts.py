"""Column contracts of a model, as dbt's enforced contracts: a column declared with a ``type:``
must come out of the query with that type (else a compile error), and a documented column the
query does not produce is reported (an error when it is typed, else a warning)."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import SqlglotError

from odibi_sql.diagnostics import Diagnostic, Severity
from odibi_sql.project.loader import NodeDef

_SAME = {exp.DataType.Type.TEXT: exp.DataType.Type.VARCHAR}
"""Types that are one type to the engines (DuckDB: TEXT is VARCHAR)."""


def contract_problems(node: NodeDef, columns: dict[str, str | None], dialect: str) -> list[Diagnostic]:
    """What the node's declared columns say that its query does not do."""
    produced = {c.lower(): (c, t) for c, t in columns.items()}
    problems = []
    for name, spec in node.spec.columns.items():
        location = node.locate("columns", name)
        found = produced.get(name.lower())
        if found is None:
            problems.append(
                Diagnostic(
                    f"column '{name}' is declared but the query does not produce it",
                    location,
                    node=node.name,
                    hint=f"the query gives: {', '.join(columns)}; fix the name or remove the entry",
                    severity=Severity.ERROR if spec.type else Severity.WARNING,
                )
            )
        elif spec.type and found[1] and not _same_type(spec.type, found[1], dialect):
            problems.append(
                Diagnostic(
                    f"column '{name}' is declared {spec.type} but the query gives {found[1]}",
                    location,
                    node=node.name,
                    hint=f"cast it in the SQL (cast({name} as {spec.type})) or change its type:",
                )
            )
    return problems


def _same_type(declared: str, inferred: str, dialect: str) -> bool:
    try:
        left = exp.DataType.build(declared, dialect=dialect)
        right = exp.DataType.build(inferred, dialect=dialect)
    except SqlglotError:
        return declared.strip().upper() == inferred.strip().upper()
    if right.this is exp.DataType.Type.UNKNOWN:
        return True  # nothing to check against
    if _SAME.get(left.this, left.this) is not _SAME.get(right.this, right.this):
        return False
    return not left.expressions or left.sql(dialect) == right.sql(dialect)
