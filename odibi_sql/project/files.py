"""Reading a project's files as untrusted input: confined to their folder, bounded, UTF-8.

A path counts as inside a folder when it is there after resolving ``..`` and symbolic links, so a
link to a file elsewhere is refused like ``../../etc/passwd``; the outside file is never opened.
"""

from __future__ import annotations

import glob
from pathlib import Path

MAX_FILE_BYTES = 1_048_576
"""Largest YAML, SQL or macro file of a project (1 MiB)."""


class FileProblem(Exception):
    """A project file that cannot be used; ``line`` is set when the problem has one."""

    def __init__(self, message: str, hint: str | None = None, line: int = 0):
        self.message, self.hint, self.line = message, hint, line
        super().__init__(message)


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (resolved: ``..`` and symbolic links) lies within ``folder``."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return False


def pattern_escapes(pattern: str, folder: Path) -> bool:
    """Whether a path or glob (relative to ``folder``) names, or matches, anything outside it."""
    candidate = folder / pattern
    if not glob.has_magic(pattern):
        return not is_inside(candidate, folder)
    parts = Path(pattern).parts
    fixed = parts[: next(i for i, part in enumerate(parts) if glob.has_magic(part))]
    if ".." in parts or not is_inside(folder.joinpath(*fixed), folder):
        return True
    return any(not is_inside(Path(match), folder) for match in glob.iglob(str(candidate), recursive=True))


OUTSIDE_HINT = "keep every file of the project inside its folder; copy the file in instead of linking to it"


def read_inside(path: Path, root: Path, display: str) -> str:
    """``read_text`` of a file that must be inside ``root`` (``FileProblem`` otherwise, unread)."""
    if not is_inside(path, root):
        raise FileProblem(
            f"'{display}' is outside the project (after following links); it was not read", OUTSIDE_HINT
        )
    return read_text(path, display)


def read_text(path: Path, display: str) -> str:
    """A project file's text; ``FileProblem`` if it is too large, unreadable or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileProblem(
                f"{display} is {size:,} bytes; files of a project are limited to {MAX_FILE_BYTES:,} bytes",
                hint="split it into smaller files",
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise FileProblem(f"{display} is a folder, not a file") from None
    except OSError as exc:
        raise FileProblem(f"cannot read {display}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(
            f"{display} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})",
            hint="save the file as UTF-8",
            line=line,
        ) from None
