"""Where a command's progress goes: the terminal (text, or one JSON object a line with
``--log-format json``) and ``target/odibi.log`` (every line, with the SQL of each statement).

The clock starts with the process, so "Done in" counts start-up and compiling too.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from rich.markup import render

from odibi_sql.cli.console import console

LOG_FILE = "odibi.log"


def _process_age() -> float:
    """Seconds since this process started (Linux: from /proc; elsewhere: since this import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            started = int(stat.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", encoding="ascii") as uptime:
            return max(float(uptime.read().split()[0]) - started, 0.0)
    except (OSError, ValueError, IndexError):
        return 0.0


class Output:
    def __init__(self) -> None:
        self.json = False
        self.started = time.perf_counter() - _process_age()
        self._log: IO[str] | None = None
        self._log_dir: Path | None = None
        self._argv: list[str] = []

    def begin(self, argv: list[str], log_format: str, in_process: bool) -> None:
        """A command starts: its output format; in-process calls (tests, the Python API) time from here."""
        self.json = log_format == "json"
        if in_process:
            self.started = time.perf_counter()
        self._argv = argv
        self.close()

    def open_log(self, target_dir: Path) -> None:
        """Append this command's lines to ``target/odibi.log`` (once the project is known); the file
        is opened with the first line, so a command refused before it runs writes nothing."""
        self.close()
        self._log_dir = target_dir

    def _log_file(self) -> IO[str] | None:
        if self._log is None and self._log_dir is not None:
            self._log_dir.mkdir(parents=True, exist_ok=True)
            self._log = open(self._log_dir / LOG_FILE, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()
            self._log.write(f"\n{_stamp()}  ======== odibi-sql {' '.join(self._argv)}\n")
        return self._log

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def emit(
        self,
        event: str,
        markup: str,
        fields: dict[str, Any] | None = None,
        detail: str = "",
        stamped: bool = False,
    ) -> None:
        """One event: rich ``markup`` on the terminal (``stamped``: after the time, as dbt's progress
        lines) or a JSON object; its plain text, and ``detail`` (e.g. SQL), in the log file."""
        stamp = _stamp()
        if self.json:
            record = {"ts": datetime.now().astimezone().isoformat(timespec="milliseconds"), "event": event}
            record.update(fields or {})
            sys.stdout.write(json.dumps(record, default=str) + "\n")
        else:
            console.print(f"[dim]{stamp}[/]  {markup}" if stamped else markup)
        log = self._log_file()
        if log is not None:
            for line in render(markup).plain.strip("\n").splitlines():
                log.write(f"{stamp}  {line}\n")
            if detail:
                log.write(detail.rstrip("\n") + "\n")
            log.flush()

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
        self._log, self._log_dir = None, None


def _stamp() -> str:
    return datetime.now().strftime("%H:%M:%S")


output = Output()
