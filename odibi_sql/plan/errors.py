"""Errors found while planning a node (bad write settings, an unallowed schema change)."""

from __future__ import annotations

from odibi_sql.diagnostics import Location, OdibiError


class PlanError(OdibiError):
    """A node cannot be planned as configured; fails the node (exit 1) with where and how to fix."""

    exit_code = 1

    def __init__(self, node: str, message: str, location: Location | None = None, hint: str | None = None):
        self.node, self.message, self.location, self.hint = node, message, location, hint
        super().__init__(self.format())

    def format(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}[{self.node}] {self.message}"
        return text + (f"\n  to fix: {self.hint}" if self.hint else "")
