"""dbt-style output: a START line and a result line per node (time, index/total, name,
materialization, status, rows, duration), one per data test (status, failing rows, duration); then
a recap of what failed and a summary. Lines go through ``output`` (terminal or JSON, and the log
file with each node's SQL). A node still running after a few seconds gets a RUN line with its
elapsed time, repeated while it runs, so a long one shows it is alive."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from rich.markup import escape

from odibi_sql.cli.output import output
from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.execute.results import NodeResult, Status
from odibi_sql.testing.results import DataTestResult, DataTestStatus

if TYPE_CHECKING:
    from odibi_sql.execute.workflow import RunOutcome

_STYLE = {Status.SUCCESS: ("green", "OK"), Status.ERROR: ("red", "ERROR"), Status.SKIPPED: ("yellow", "SKIP")}


class ConsoleReporter:
    def __init__(self, alive_after: float = 5.0, alive_every: float = 30.0, tick: float = 1.0) -> None:
        self._lock = threading.Lock()
        self._alive = (alive_after, alive_every, tick)
        self._running: dict[str, list] = {}  # node -> [index, total, started, next notice (s)]
        self._watch: threading.Thread | None = None

    def node_started(self, index: int, total: int, node: CompiledNode) -> None:
        relation = ".".join(node.relation)
        with self._lock:
            output.emit(
                "node_started",
                f"{index:>3}/{total} START {escape(relation)} [dim]\\[{node.materialized.value}][/]",
                {"node": node.name, "index": index, "total": total, "relation": relation},
                stamped=True,
            )
            self._running[node.name] = [index, total, time.monotonic(), self._alive[0]]
            if self._watch is None:
                self._watch = threading.Thread(target=self._watch_running, daemon=True)
                self._watch.start()

    def _watch_running(self) -> None:
        """Emit the elapsed time of long-running nodes; ends when no node runs."""
        _, every, tick = self._alive
        while True:
            time.sleep(tick)
            with self._lock:
                if not self._running:
                    self._watch = None
                    return
                now = time.monotonic()
                for name, entry in self._running.items():
                    index, total, started, notice = entry
                    if now - started >= notice:
                        output.emit(
                            "node_running",
                            f"{index:>3}/{total} RUN   {escape(name)} [dim]\\[running for {now - started:.0f}s][/]",
                            {"node": name, "index": index, "total": total, "seconds": round(now - started)},
                            stamped=True,
                        )
                        entry[3] = notice + every

    def node_finished(self, index: int, total: int, result: NodeResult) -> None:
        with self._lock:
            self._running.pop(result.node, None)
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
        for warning in result.warnings:
            line += f"\n        [yellow]warning:[/] {escape(warning)}"
        for test in result.tests:
            line += "\n        " + test_line(test)
        if result.status is not Status.SUCCESS and result.message:
            line += f"\n        [{colour}]{escape(result.message)}[/]"
        fields = result.model_dump(mode="json", exclude={"statements"})
        statements = [*result.statements, *(t.sql for t in result.tests)]
        with self._lock:
            output.emit(
                "node_finished",
                line,
                {"index": index, "total": total, **fields},
                detail="\n".join(f"    {s};" for s in statements),
                stamped=True,
            )
            if output.json:
                for test in result.tests:
                    _emit_test(test, "")

    def deferred_tests_finished(self, results: list[DataTestResult]) -> None:
        if results:
            output.emit("note", "tests run last (they read a node built from the node they test):")
            for test in results:
                _emit_test(test, "        " + test_line(test))

    def test_finished(self, index: int, total: int, result: DataTestResult) -> None:
        with self._lock:
            _emit_test(result, f"{index:>3}/{total} " + test_line(result), stamped=True)


def _emit_test(result: DataTestResult, line: str, stamped: bool = False) -> None:
    output.emit(
        "test_finished", line, result.model_dump(mode="json"), detail=f"    {result.sql};", stamped=stamped
    )


_TEST_STYLE = {
    DataTestStatus.PASS: "green",
    DataTestStatus.WARN: "yellow",
    DataTestStatus.FAIL: "red",
    DataTestStatus.ERROR: "red",
    DataTestStatus.SKIPPED: "yellow",
}


def test_line(result: DataTestResult) -> str:
    """``PASS  not_null_orders_id  [0 failing rows in 0.01s]`` plus samples or the error, masked."""
    colour = _TEST_STYLE[result.status]
    detail = "error" if result.failures is None else _count(result.failures, "failing row")
    if result.status is DataTestStatus.SKIPPED:
        detail = "not run"
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


def print_test_summary(results: list[DataTestResult]) -> None:
    counts = {status: sum(1 for r in results if r.status is status) for status in DataTestStatus}
    failed = any(r.fails_the_run for r in results)
    _recap([], results)
    seconds = output.elapsed()
    output.emit(
        "summary",
        f"\n[{'red' if failed else 'green'}]Done in {seconds:.2f}s.[/] PASS={counts[DataTestStatus.PASS]} "
        f"WARN={counts[DataTestStatus.WARN]} FAIL={counts[DataTestStatus.FAIL]} "
        f"ERROR={counts[DataTestStatus.ERROR]}{_skips(counts)} TOTAL={len(results)}",
        {"seconds": round(seconds, 3), "tests": {s.value: n for s, n in counts.items()}},
    )


def _skips(counts: dict[DataTestStatus, int]) -> str:
    """`` SKIP=n`` when tests were not run (left out otherwise)."""
    return f" SKIP={counts[DataTestStatus.SKIPPED]}" if counts[DataTestStatus.SKIPPED] else ""


def print_summary(results: list[NodeResult]) -> None:
    counts = {status: sum(1 for r in results if r.status is status) for status in Status}
    tests = [t for r in results for t in r.tests]
    _recap(results, tests)
    colour = "red" if counts[Status.ERROR] else "green"
    seconds = output.elapsed()
    line = (
        f"\n[{colour}]Done in {seconds:.2f}s.[/] PASS={counts[Status.SUCCESS]} "
        f"ERROR={counts[Status.ERROR]} SKIP={counts[Status.SKIPPED]} TOTAL={len(results)}"
    )
    counts_by = {status: sum(1 for t in tests if t.status is status) for status in DataTestStatus}
    if tests:
        shown = [s for s in DataTestStatus if s is not DataTestStatus.SKIPPED]
        line += (
            "\nTests: "
            + " ".join(f"{status.value.upper()}={counts_by[status]}" for status in shown)
            + f"{_skips(counts_by)} TOTAL={len(tests)}"
        )
    fields = {"seconds": round(seconds, 3), "nodes": {s.value: n for s, n in counts.items()}}
    if tests:
        fields["tests"] = {s.value: n for s, n in counts_by.items()}
    output.emit("summary", line, fields)


def _recap(results: list[NodeResult], tests: list[DataTestResult]) -> None:
    """dbt's end-of-run recap: each failed node and failing test again, with its message."""
    errors = [r for r in results if r.status is Status.ERROR]
    failing = [t for t in tests if t.fails_the_run]
    if not errors and not failing:
        return
    lines = [f"\n[red]Completed with {_count(len(errors) + len(failing), 'failure')}:[/]"]
    for result in errors:
        first = (result.message or "").strip().splitlines()[:1]
        lines.append(f"  [red]ERROR[/] {escape(result.node)}: {escape(first[0] if first else 'failed')}")
    for test in failing:
        what = test.message.splitlines()[0] if test.message else _count(test.failures or 0, "failing row")
        lines.append(
            f"  [red]{test.status.value.upper()}[/] {escape(test.name)} ({escape(test.node)}): {escape(what)}"
        )
    output.emit(
        "recap",
        "\n".join(lines),
        {"failed_nodes": [r.node for r in errors], "failed_tests": [t.name for t in failing]},
    )


def finish(outcome: RunOutcome) -> int:
    """The run's exit code, after one line saying what is left to do when a signal stopped it."""
    run = outcome.results
    if run.stopped_by:
        done = sum(1 for r in run.results if r.status is Status.SUCCESS)
        output.emit(
            "stopped",
            f"[yellow]Stopped by {run.stopped_by}[/]: {done} of {len(run.results)} nodes completed; "
            "the others were rolled back or not started. Run again with --resume to finish them.",
            {"stopped_by": run.stopped_by, "completed": done, "total": len(run.results)},
        )
    return outcome.exit_code
