"""Drift between the last run and the previous one, from ``target/run_history.jsonl``.

Logic drift: the compiled SQL's checksum changed. Data drift: the rows the relation holds after
the run changed (added when positive, removed when negative). The history keeps successful node
runs only, so "previous" is the node's last success before the last run started.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from odibi_sql.compile.compiler import CompiledNode
from odibi_sql.execute.results import NodeResult, Status
from odibi_sql.report.model import Drift

History = dict[str, list[dict[str, Any]]]
"""``{node: its successful run records, oldest first}``."""


def read_history(target_dir: Path) -> History:
    path = target_dir / "run_history.jsonl"
    history: History = {}
    if not path.is_file():
        return history
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line cut short by a killed run
        if isinstance(record, dict) and "node" in record:
            history.setdefault(record["node"], []).append(record)
    return history


def node_drift(node: CompiledNode, last: NodeResult, run_started_at: str, history: History) -> Drift:
    """How the node's last run differs from its previous successful run, and from the SQL now."""
    earlier = [r for r in history.get(node.name, []) if str(r.get("run_started_at", "")) < run_started_at]
    previous = earlier[-1] if earlier else None
    pending = last.compiled_checksum is not None and last.compiled_checksum != node.compiled_checksum
    if previous is None:
        return Drift(None, None, None, last.rows_after, pending_logic_change=pending)
    logic = None
    if last.compiled_checksum and previous.get("compiled_checksum"):
        logic = last.compiled_checksum != previous["compiled_checksum"]
    rows_before = previous.get("rows_after")
    return Drift(
        previous_run=previous.get("run_started_at"),
        logic_changed=logic,
        rows_before=rows_before if isinstance(rows_before, int) else None,
        rows_after=last.rows_after if last.status is Status.SUCCESS else None,
        pending_logic_change=pending,
    )
