"""The observed state of a node's target, which decides between first run and incremental."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TargetState:
    """What the warehouse holds for one relation right now."""

    exists: bool
    kind: str | None = None  # "table" | "view"
    columns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def missing(cls) -> TargetState:
        return cls(False)
