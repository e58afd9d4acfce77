"""The observed state of a node's target, which decides between first run and incremental."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Watermark:
    """The target's current ``MAX(hwm_column)``: the value, and its text as the engine writes it
    (``None`` when the target has no rows)."""

    value: Any
    text: str | None


@dataclass(frozen=True)
class TargetState:
    """What the warehouse holds for one relation right now."""

    exists: bool
    kind: str | None = None  # "table" | "view"
    columns: dict[str, str] = field(default_factory=dict)
    watermark: Watermark | None = None
    """Read by the runner before planning an incremental node with ``hwm_column``."""

    @classmethod
    def missing(cls) -> TargetState:
        return cls(False)
