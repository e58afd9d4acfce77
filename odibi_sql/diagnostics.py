"""Locations, diagnostics and the error hierarchy shared by every stage.

Errors are classes with fields and one formatter; the CLI maps them to exit codes
(``ProjectError`` -> 2, ``ExecutionError`` -> 1) without showing a traceback.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a user's file: 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}" if self.col else f"{self.file}:{self.line}"

    def shifted(self, lines: int, col: int | None = None) -> Location:
        return Location(self.file, self.line + lines, self.col if col is None else col)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a project: what, where, and how to fix it."""

    message: str
    location: Location | None = None
    hint: str | None = None
    node: str | None = None
    severity: Severity = Severity.ERROR
    code: str = "ODB000"
    snippet: str | None = None

    def format(self) -> str:
        where = f"{self.location}: " if self.location else ""
        node = f"[{self.node}] " if self.node else ""
        text = f"{where}{node}{self.message}"
        if self.snippet:
            text += "\n" + self.snippet
        if self.hint:
            text += f"\n  to fix: {self.hint}"
        return text


class OdibiError(Exception):
    """Base of all errors odibi-sql reports to users."""

    exit_code = 1

    def format(self) -> str:
        return str(self)


class ProjectError(OdibiError):
    """The project or the command line is invalid; carries every diagnostic found."""

    exit_code = 2

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.location or Location(""), d.message))
        super().__init__(self.format())

    def format(self) -> str:
        count = len(self.diagnostics)
        head = f"{count} error{'s' if count != 1 else ''} in the project:"
        return "\n".join([head, *(d.format() for d in self.diagnostics)])


class ExecutionError(OdibiError):
    """A node failed while running; names the node, the statement and the database's message."""

    exit_code = 1

    def __init__(self, node: str, message: str, statement: str | None = None):
        self.node, self.message, self.statement = node, message, statement
        super().__init__(self.format())

    def format(self) -> str:
        text = f"node {self.node} failed: {self.message}"
        if self.statement:
            text += f"\n  statement: {self.statement}"
        return text + "\n  the target was left as it was."


class TargetError(OdibiError):
    """The target could not be opened (locked file, engine that does not start, missing package)."""

    exit_code = 1

    def __init__(self, target: str, message: str, hint: str | None = None):
        self.target, self.message, self.hint = target, message, hint
        super().__init__(self.format())

    def format(self) -> str:
        return f"cannot open target {self.target}: {self.message}" + (
            f"\n  to fix: {self.hint}" if self.hint else ""
        )


class FileSystemError(OdibiError):
    """A file or folder odibi-sql needs cannot be read or written: a full disk, a read-only folder,
    a file where a folder should be. The machine's problem, not the project's: exit 2, no traceback."""

    exit_code = 2

    _HINTS = {
        errno.ENOSPC: "free space on that disk, then run the command again",
        errno.EDQUOT: "free space within your disk quota, then run the command again",
        errno.EACCES: "make the folder writable for this user, or work on a copy of the project",
        errno.EPERM: "make the folder writable for this user, or work on a copy of the project",
        errno.EROFS: "the disk is read-only: work on a copy of the project on a writable disk",
        errno.ENOTDIR: "a file is in the way of a folder of that path: move the file away",
        errno.EEXIST: "a file is in the way of a folder of that path: move the file away",
        errno.EISDIR: "a folder is where a file should be: move the folder away",
    }

    def __init__(self, path: str, message: str, hint: str | None = None):
        self.path, self.message, self.hint = path, message, hint
        super().__init__(self.format())

    @classmethod
    def from_os_error(cls, exc: OSError, path: Path | str | None = None) -> FileSystemError:
        """``exc`` as a user reads it; ``path`` names the file when the error does not (a failed write)."""
        name = exc.filename if exc.filename is not None else path
        return cls(str(name or "a file"), exc.strerror or str(exc), cls._HINTS.get(exc.errno or 0))

    def format(self) -> str:
        return f"cannot use {self.path}: {self.message}" + (f"\n  to fix: {self.hint}" if self.hint else "")


@contextlib.contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Report a failure to write ``path`` (full disk, read-only folder) as a ``FileSystemError``."""
    try:
        yield
    except OSError as exc:
        raise FileSystemError.from_os_error(exc, path) from None


@dataclass
class DiagnosticCollector:
    """Collects diagnostics across a stage and raises them together."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, message: str, location: Location | None = None, **kwargs) -> None:
        self.diagnostics.append(Diagnostic(message, location, **kwargs))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ProjectError(self.errors)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Return ' Did you mean "x"?' for the closest candidate, or an empty string."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f' Did you mean "{matches[0]}"?' if matches else ""


def relative(path: Path, root: Path) -> str:
    """A path as users see it: relative to the project root when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
