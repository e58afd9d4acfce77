"""Selection over a loaded project: nodes as ``SelectableNode`` values, previous state from a manifest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from odibi_sql.diagnostics import Diagnostic, ProjectError
from odibi_sql.graph.dag import DAG
from odibi_sql.graph.methods import SelectableNode
from odibi_sql.graph.selector import select_nodes
from odibi_sql.project.loader import NodeDef, Project


def selectable(node: NodeDef, materialized: str) -> SelectableNode:
    """A node as ``--select`` sees it."""
    return SelectableNode(
        name=node.name,
        pipeline=node.pipeline,
        tags=frozenset(node.tags),
        paths=node.paths,
        config=flat_config(node, materialized),
        checksum=node.checksum,
        resource_type=node.resource_type,
        has_tests=bool(node.spec.tests) or any(c.tests for c in node.spec.columns.values()),
    )


def flat_config(node: NodeDef, materialized: str) -> dict[str, Any]:
    """``{"materialized": ..., "write.mode": ..., ...}`` for ``config.<key>:`` selectors and the manifest."""
    write = node.spec.write.model_dump(mode="json", exclude_none=True, exclude={"first_run_query"})
    config: dict[str, Any] = {"materialized": materialized, "enabled": node.spec.enabled}
    config.update({f"write.{k}": v for k, v in write.items()})
    if node.spec.read:
        config.update({f"read.{k}": v for k, v in node.spec.read.model_dump(mode="json").items()})
    return config


def previous_checksums(state_dir: Path | None) -> dict[str, str] | None:
    """``{node: checksum}`` from ``<state_dir>/manifest.json``; None when no state was given."""
    if state_dir is None:
        return None
    path = state_dir / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        return {name: node["checksum"] for name, node in manifest["nodes"].items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ProjectError(
            [
                Diagnostic(
                    f"--state {state_dir}: cannot read a previous manifest ({type(exc).__name__}: {exc})",
                    hint="point --state at the target/ folder of an earlier `odibi-sql compile` or run",
                )
            ]
        ) from None


def select(
    project: Project,
    dag: DAG,
    select_args: Sequence[str] | None,
    exclude_args: Sequence[str] | None,
    state_dir: Path | None = None,
) -> list[str]:
    """The selected node names in DAG order."""
    nodes = {name: selectable(node, project.materialized(name)) for name, node in project.nodes.items()}
    return select_nodes(nodes, dag, select_args, exclude_args, previous_checksums(state_dir))
