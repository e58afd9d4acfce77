"""What runs inside a node's transaction after its statements: quarantine, then (for ``build``)
the node's data tests; a failing error-severity test fails the node and rolls it back."""

from __future__ import annotations

from collections.abc import Mapping

from odibi_sql.adapters.base import Session
from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.execute.results import NodeResult
from odibi_sql.execute.runner import NodeFailure
from odibi_sql.testing.compile import DataTest
from odibi_sql.testing.masking import sensitive_columns
from odibi_sql.testing.quarantine import quarantine_rows
from odibi_sql.testing.run import run_test


class NodeChecks:
    """The runner's ``post_build`` hook for a set of compiled tests."""

    def __init__(self, compiled: CompiledProject, tests: Mapping[str, list[DataTest]], run_tests: bool):
        self.compiled, self.tests, self.run_tests = compiled, tests, run_tests

    def waits_for(self) -> dict[str, set[str]]:
        """When tests run, a node waits for the nodes its relationships tests read, unless that node
        depends on it (directly, or through waits added before): the waits never form a cycle."""
        if not self.run_tests:
            return {}
        parents = {name: set(p) for name, p in self.compiled.dag.parents.items()}
        waits: dict[str, set[str]] = {}
        for name in self.compiled.dag.order:
            for test in self.tests.get(name, []):
                reads = test.reads
                if reads and reads in parents and reads != name and not _depends_on(parents, reads, name):
                    parents[name].add(reads)
                    waits.setdefault(name, set()).add(reads)
        return waits

    def __call__(self, node: CompiledNode, session: Session, result: NodeResult) -> None:
        tests = self.tests.get(node.name, [])
        moved = {t.name: quarantine_rows(t, session) for t in tests if t.quarantine}
        result.rows_quarantined = sum(moved.values()) if moved else None
        if not self.run_tests or not tests:
            return
        sensitive = sensitive_columns(self.compiled, node.name)
        result.tests = [run_test(t, session, sensitive, moved.get(t.name)) for t in tests]
        failed = [t for t in result.tests if t.fails_the_run]
        if failed:
            listed = ", ".join(
                f"{t.name} ({t.failures} failing row{'s' if t.failures != 1 else ''})"
                if t.failures is not None
                else f"{t.name} (error)"
                for t in failed
            )
            raise NodeFailure(f"{len(failed)} test{'s' if len(failed) > 1 else ''} failed: {listed}")


def _depends_on(parents: Mapping[str, set[str]], node: str, other: str) -> bool:
    """Whether ``node`` reads ``other``, directly or through its ancestors."""
    seen, stack = set(), [node]
    while stack:
        current = stack.pop()
        if current == other:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(parents.get(current, ()))
    return False
