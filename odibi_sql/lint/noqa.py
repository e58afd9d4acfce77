"""Inline suppression: ``-- noqa`` (every rule) or ``-- noqa: OD202, unused-cte`` on the line a
finding points at. In YAML, ``# noqa: ...`` works the same on the line of a key."""

from __future__ import annotations

import re

_NOQA = re.compile(r"(?:--|#)\s*noqa\b(?:\s*:\s*(?P<codes>[\w\-]+(?:\s*,\s*[\w\-]+)*))?", re.IGNORECASE)


def suppressed(line: str | None, code: str, name: str) -> bool:
    """Whether ``line`` carries a noqa comment that covers rule ``code``/``name``."""
    if not line or "noqa" not in line.lower():
        return False
    for match in _NOQA.finditer(line):
        codes = match.group("codes")
        if codes is None:
            return True
        wanted = {c.strip().lower() for c in codes.split(",")}
        if code.lower() in wanted or name.lower() in wanted:
            return True
    return False
