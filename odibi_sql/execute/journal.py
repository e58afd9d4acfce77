"""The run journal, ``target/run_journal.jsonl``: what a run selected, then one line per node as its
result becomes final, each flushed to disk at once, so ``--resume`` knows what a run that was
killed, interrupted or stopped by a full disk completed.

A file rather than a table in the target: it works the same on every engine (a Spark catalog may
not outlive its session), and ``--resume`` reads it without opening the target. A node's line is
written right after its transaction commits; a process killed in between runs that node again on
resume, which every write mode makes harmless (a rebuild or a merge gives the same rows, an append
skips the batch it already loaded by its fingerprint).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from odibi_sql.diagnostics import OdibiError
from odibi_sql.execute.results import NodeResult, Status

FILE = "run_journal.jsonl"


class RunJournal:
    """The journal of one run; opening it replaces the previous run's."""

    def __init__(self, target_dir: Path, command: str, started_at: str, selected: list[str]):
        self.path = target_dir / FILE
        tmp = self.path.with_suffix(".jsonl.tmp")
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
            with tmp.open("w", encoding="utf-8") as out:
                _write(out, {"command": command, "started_at": started_at, "selected": selected})
            os.replace(tmp, self.path)
            self._file: IO[str] = self.path.open("a", encoding="utf-8")
        except OSError as exc:
            raise JournalError(self.path, exc) from None

    def record(self, result: NodeResult) -> None:
        """Make ``result`` durable (its line is on disk when this returns)."""
        try:
            _write(self._file, {"node": result.node, "status": result.status.value})
        except OSError as exc:
            raise JournalError(self.path, exc) from None

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class JournaledRun:
    command: str
    selected: list[str]
    succeeded: set[str]

    @property
    def unfinished(self) -> set[str]:
        """The selected nodes that did not succeed (failed, skipped, or never reached)."""
        return set(self.selected) - self.succeeded


def read_journal(target_dir: Path) -> JournaledRun | None:
    """The last run's journal, or None when there is none (a line cut short by a crash is ignored)."""
    path = target_dir / FILE
    if not path.is_file():
        return None
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    if not records or "selected" not in records[0]:
        return None
    head = records[0]
    succeeded = {r["node"] for r in records[1:] if r.get("status") == Status.SUCCESS.value}
    return JournaledRun(head["command"], list(head["selected"]), succeeded)


def _write(out: IO[str], record: dict) -> None:
    out.write(json.dumps(record) + "\n")
    out.flush()
    os.fsync(out.fileno())


class JournalError(OdibiError):
    """The journal could not be written (a full disk, a read-only folder): the run stops there."""

    def __init__(self, path: Path, exc: OSError):
        super().__init__(
            f"cannot write the run journal {path}: {exc.strerror or exc}\n"
            "  to fix: free disk space or make the folder writable, then run again with --resume"
        )
