"""What runs inside a node's transaction after its statements: the count of the rows quarantine
set aside, then (for ``build``) the node's data tests; a failing error-severity test fails the
node and rolls it back."""

from __future__ import annotations

from collections.abc import Mapping

from odibi_sql.adapters.base import Session
from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.execute.results import NodeResult, Status
from odibi_sql.execute.runner import NodeFailure
from odibi_sql.plan.quarantine import Quarantine
from odibi_sql.testing.compile import DataTest
from odibi_sql.testing.masking import sensitive_columns
from odibi_sql.testing.quarantine import quarantine_of, quarantined_counts
from odibi_sql.testing.results import DataTestResult
from odibi_sql.testing.run import not_run, run_test
from odibi_sql.testing.spec import Severity


class NodeChecks:
    """The runner's ``post_build`` hook for a set of compiled tests.

    A relationships test runs once the node it reads is built: the node waits for it, unless that
    node reads this one (directly or not); then the test is deferred (``run_deferred``) until the
    run is over, and a failure fails the run but cannot roll the node back. A ``severity: warn``
    relationships test (without quarantine) never holds its node back: it is deferred too, and
    reported as not run (SKIPPED) when the node it reads did not succeed.
    """

    def __init__(
        self, compiled: CompiledProject, tests: Mapping[str, list[DataTest]], run_tests: bool, run_id: str
    ):
        self.compiled, self.tests, self.run_tests, self.run_id = compiled, tests, run_tests, run_id
        self.waits: dict[str, set[str]] = {}
        self.deferred: dict[str, list[DataTest]] = {}
        if run_tests:
            self._order_tests()

    def _order_tests(self) -> None:
        """Fill ``waits`` (never forming a cycle, waits added before included) and ``deferred``."""
        parents = {name: set(p) for name, p in self.compiled.dag.parents.items()}
        for name in self.compiled.dag.order:
            for test in self.tests.get(name, []):
                reads = test.reads
                if not reads or reads not in parents or reads == name:
                    continue
                if (test.severity is Severity.WARN and not test.quarantine) or _depends_on(
                    parents, reads, name
                ):
                    self.deferred.setdefault(name, []).append(test)
                else:
                    parents[name].add(reads)
                    self.waits.setdefault(name, set()).add(reads)

    def waits_for(self) -> dict[str, set[str]]:
        """The nodes each node waits for (those its relationships tests read)."""
        return self.waits

    def quarantines(self) -> dict[str, Quarantine]:
        """The quarantine tests the planner applies, by node (deferred tests quarantine nothing)."""
        out = {}
        for name in self.tests:
            quarantine = quarantine_of(self._now(name), self.run_id)
            if quarantine is not None:
                out[name] = quarantine
        return out

    def _now(self, name: str) -> list[DataTest]:
        """The tests of ``name`` that run right after it is built (all but the deferred ones)."""
        deferred = {t.name for t in self.deferred.get(name, [])}
        return [t for t in self.tests.get(name, []) if t.name not in deferred]

    def __call__(self, node: CompiledNode, session: Session, result: NodeResult) -> None:
        tests = self._now(node.name)
        moved = quarantined_counts(tests, session, self.run_id)
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

    def run_deferred(self, session: Session, results: list[NodeResult]) -> list[DataTestResult]:
        """Run the deferred tests of the nodes built in this run, added to their nodes' results."""
        by_node = {r.node: r for r in results}
        done: list[DataTestResult] = []
        for name, tests in self.deferred.items():
            if name not in by_node or by_node[name].status is not Status.SUCCESS:
                continue
            sensitive = sensitive_columns(self.compiled, name)
            ran = [
                run_test(t, session, sensitive)
                if t.reads not in by_node or by_node[t.reads].status is Status.SUCCESS
                else not_run(t, session, f"not run: {t.reads}, which it reads, did not succeed")
                for t in tests
            ]
            by_node[name].tests.extend(ran)
            done.extend(ran)
        return done


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
