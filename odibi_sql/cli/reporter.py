"""dbt-style run output: one line per node (index/total, name, materialization, status, rows, time)."""

from __future__ import annotations

import threading

from rich.markup import escape

from odibi_sql.cli.console import console
from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.execute.results import NodeResult, Status

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
        line = (
            f"{index:>3}/{total} [{colour}]{word:<5}[/] {escape(result.node):<40} "
            f"[dim]\\[{escape(detail)} in {result.seconds:.2f}s][/]"
        )
        with self._lock:
            console.print(line)
            for warning in result.warnings:
                console.print(f"        [yellow]warning:[/] {escape(warning)}")
            if result.status is not Status.SUCCESS and result.message:
                console.print(f"        [{colour}]{escape(result.message)}[/]")


def print_summary(results: list[NodeResult], seconds: float) -> None:
    counts = {status: sum(1 for r in results if r.status is status) for status in Status}
    colour = "red" if counts[Status.ERROR] else "green"
    console.print(
        f"\n[{colour}]Done in {seconds:.2f}s.[/] PASS={counts[Status.SUCCESS]} "
        f"ERROR={counts[Status.ERROR]} SKIP={counts[Status.SKIPPED]} TOTAL={len(results)}"
    )
