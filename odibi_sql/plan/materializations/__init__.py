"""One module per ``materialized`` kind; each turns a compiled node and its target's state into a plan."""

from __future__ import annotations

from dataclasses import dataclass

from odibi_sql.dialect.capabilities import Capabilities


@dataclass(frozen=True)
class PlanContext:
    """What a materialization needs besides the node: the target's abilities and the run's flags."""

    capabilities: Capabilities
    full_refresh: bool = False

    @property
    def dialect(self) -> str:
        return self.capabilities.sqlglot_dialect
