"""Portability diagnostics of a compiled node: what a target dialect cannot run as DuckDB would.

Runs on the qualified, typed query while it still carries the positions of the user's SQL, for
every dialect compiled for that has a portability registry (``dialect.portability``). Two sources:
constructs the registry does not allow (``OD302``) and what the dialect's lowering knows it cannot
translate (``OD301``). A node marked ``portability: unchecked`` gets one warning instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from odibi_sql.diagnostics import Diagnostic, Location, Severity
from odibi_sql.dialect import portability, unsupported
from odibi_sql.project.loader import NodeDef
from odibi_sql.render.context import RenderedSQL

CODES = frozenset({"OD301", "OD302"})
"""Codes of portability diagnostics: they do not stop the node's own compile (lint keeps it)."""


def checked_dialects(dialects: Iterable[str]) -> tuple[str, ...]:
    """The dialects among ``dialects`` that have a portability registry."""
    return tuple(d for d in dialects if portability.registry(d) is not None)


def diagnostics(
    node: NodeDef, rendered: RenderedSQL | None, query: exp.Expr, dialects: Iterable[str]
) -> list[Diagnostic]:
    """Errors (and warnings) for running ``query`` (typed, with parse positions) on ``dialects``."""
    found: list[Diagnostic] = []
    for dialect in dialects:
        if node.spec.portability == "unchecked":
            found.append(
                Diagnostic(
                    f"portability: unchecked: this node may give different results on {dialect} "
                    "than on DuckDB; nothing in it was checked",
                    node.locate("portability"),
                    hint="remove `portability: unchecked` to have every construct checked",
                    node=node.name,
                    severity=Severity.WARNING,
                    code="OD302",
                )
            )
            continue
        for refusal in portability.check(query, dialect):
            found.append(
                Diagnostic(
                    f"{dialect}: {refusal.message}",
                    _locate(node, rendered, refusal.node),
                    hint=refusal.hint or None,
                    node=node.name,
                    severity=Severity.WARNING if refusal.warning else Severity.ERROR,
                    code="OD302",
                )
            )
        for message in unsupported(query, dialect):
            unknown = " is unknown" in message  # cannot be checked: flagged, not refused
            found.append(
                Diagnostic(
                    f"{dialect}: {message}",
                    _locate(node, rendered, None),
                    hint=f"write a form {dialect} can express, or mark the node `portability: unchecked`",
                    node=node.name,
                    severity=Severity.WARNING if unknown else Severity.ERROR,
                    code="OD302" if unknown else "OD301",
                )
            )
    return found


def _locate(node: NodeDef, rendered: RenderedSQL | None, construct: exp.Expr | None) -> Location:
    """Where the construct is in the user's file: its own token, else its first token with a position."""
    if construct is not None and rendered is not None:
        for part in construct.walk():
            meta = part._meta or {}
            if meta.get("line"):
                start = meta.get("start")
                text = rendered.text
                col = start - (text.rfind("\n", 0, start) + 1) + 1 if start is not None else 0
                return rendered.locate(meta["line"], col)
    if node.spec.transform:
        return node.locate("transform")
    return node.sql_location
