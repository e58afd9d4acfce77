"""Selecting data tests by name (``odibi-sql test -s unique_orders_id``), as dbt does.

A ``--select`` word that is a plain name (shell wildcards allowed) matching no node is looked up
among the tests' names; the tests it matches are selected, with their nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase

from odibi_sql.compile.workspace import Selection, compile_selected
from odibi_sql.project.loader import Project
from odibi_sql.testing.compile import compile_tests

_OPERATORS = (":", "+", "@", ",", "/")


def split_test_selectors(project: Project, select: Sequence[str] | None) -> tuple[list[str], dict[str, str]]:
    """``(the --select words left for nodes, {selected test: its node})``."""
    words = [w for value in select or () for w in value.split()]
    candidates = [
        w
        for w in words
        if not any(o in w for o in _OPERATORS) and not any(fnmatchcase(n, w) for n in project.nodes)
    ]
    if not candidates:
        return words, {}
    with_tests = [
        n
        for n, node in project.nodes.items()
        if node.spec.tests or any(c.tests for c in node.spec.columns.values())
    ]
    if not with_tests:
        return words, {}
    compiled, _ = compile_selected(
        project, (project.target.dialect,), Selection(select=[" ".join(with_tests)])
    )
    names = {t.name: t.node for tests in compile_tests(compiled, with_tests).values() for t in tests}
    chosen = {t: node for w in candidates for t, node in names.items() if fnmatchcase(t, w)}
    matched = {w for w in candidates if any(fnmatchcase(t, w) for t in names)}
    return [w for w in words if w not in matched], chosen
