"""dbt-style output: one line per node (index/total, name, materialization, status, rows, time) and
one per data test (status, failing rows, time); then a summary."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rich.markup import escape

from odibi_sql.cli.console import console
from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.execute.results import NodeResult, Status
from odibi_sql.testing.results import DataTestResult, DataTestStatus

if TYPE_CHECKING:
    from odibi_sql.execute.workflow import RunOutcome

_STYLE = {Status.SUCCESS: ("green", "OK"), Status.ERROR: ("red", "ERROR"), Status.SKIPPED: ("yellow", "SKIP")}


class ConsoleReporter:
    def __init__(self) -> None:
        self._lock = threading.Lock()

    def node_started(self, index: int, total: int, node: CompiledNode) -> None:
        pass

    def node_finished(self, index: int, total: int, result: NodeResult) -> None:
        colour, word = _STYLE[result.status]
        detail = result.materialized
        if result.reason:
            detail += f" {result.reason}"
        if result.rows_affected is not None:
            detail += f", {result.rows_affected} rows"
        if result.rows_rejected:
            detail += f", {result.rows_rejected} rejected"
        if result.rows_quarantined:
            detail += f", {result.rows_quarantined} quarantined"
        line = (
            f"{index:>3}/{total} [{colour}]{word:<5}[/] {escape(result.node):<40} "
            f"[dim]\\[{escape(detail)} in {result.seconds:.2f}s][/]"
        )
        with self._lock:
            console.print(line)
            for warning in result.warnings:
                console.print(f"        [yellow]warning:[/] {escape(warning)}")
            for test in result.tests:
                console.print("        " + test_line(test))
            if result.status is not Status.SUCCESS and result.message:
                console.print(f"        [{colour}]{escape(result.message)}[/]")

    def deferred_tests_finished(self, results: list[DataTestResult]) -> None:
        if results:
            console.print("tests run last (they read a node built from the node they test):")
            for test in results:
                console.print("        " + test_line(test))

    def test_finished(self, index: int, total: int, result: DataTestResult) -> None:
        with self._lock:
            console.print(f"{index:>3}/{total} " + test_line(result))


_TEST_STYLE = {
    DataTestStatus.PASS: "green",
    DataTestStatus.WARN: "yellow",
    DataTestStatus.FAIL: "red",
    DataTestStatus.ERROR: "red",
}


def test_line(result: DataTestResult) -> str:
    """``PASS  not_null_orders_id  [0 failing rows in 0.01s]`` plus samples or the error, masked."""
    colour = _TEST_STYLE[result.status]
    detail = "error" if result.failures is None else _count(result.failures, "failing row")
    if result.quarantined:
        detail = f"{_count(result.quarantined, 'row')} quarantined, {detail}"
    line = (
        f"[{colour}]{result.status.value.upper():<5}[/] {escape(result.name):<40} "
        f"[dim]\\[{detail} in {result.seconds:.2f}s][/]"
    )
    for sample in result.sample:
        line += f"\n          [dim]e.g. {escape(sample)}[/]"
    if result.message:
        line += f"\n          [{colour}]{escape(result.message)}[/]"
    return line


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def print_test_summary(results: list[DataTestResult], seconds: float) -> None:
    counts = {status: sum(1 for r in results if r.status is status) for status in DataTestStatus}
    failed = any(r.fails_the_run for r in results)
    console.print(
        f"\n[{'red' if failed else 'green'}]Done in {seconds:.2f}s.[/] PASS={counts[DataTestStatus.PASS]} "
        f"WARN={counts[DataTestStatus.WARN]} FAIL={counts[DataTestStatus.FAIL]} "
        f"ERROR={counts[DataTestStatus.ERROR]} TOTAL={len(results)}"
    )


def print_summary(results: list[NodeResult], seconds: float) -> None:
    counts = {status: sum(1 for r in results if r.status is status) for status in Status}
    colour = "red" if counts[Status.ERROR] else "green"
    console.print(
        f"\n[{colour}]Done in {seconds:.2f}s.[/] PASS={counts[Status.SUCCESS]} "
        f"ERROR={counts[Status.ERROR]} SKIP={counts[Status.SKIPPED]} TOTAL={len(results)}"
    )
    tests = [t for r in results for t in r.tests]
    if tests:
        counts_by = {status: sum(1 for t in tests if t.status is status) for status in DataTestStatus}
        console.print(
            "Tests: "
            + " ".join(f"{status.value.upper()}={counts_by[status]}" for status in DataTestStatus)
            + f" TOTAL={len(tests)}"
        )


def finish(outcome: RunOutcome) -> int:
    """The run's exit code, after one line saying what is left to do when a signal stopped it."""
    run = outcome.results
    if run.stopped_by:
        done = sum(1 for r in run.results if r.status is Status.SUCCESS)
        console.print(
            f"[yellow]Stopped by {run.stopped_by}[/]: {done} of {len(run.results)} nodes completed; "
            "the others were rolled back or not started. Run again with --resume to finish them."
        )
    return outcome.exit_code
