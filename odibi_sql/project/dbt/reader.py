"""Read a dbt project folder into a ``Project`` that every later stage uses unchanged.

dbt_project.yml gives the name, paths, vars and folder-level configuration; profiles.yml the
targets; ``models/**/*.sql`` with ``config()`` and properties YAML the models; ``seeds/*.csv`` the
seeds (typed as dbt types them); sources map to the seed or model that builds their table, or to
the file in ``meta.external_location``. Every construct odibi-sql cannot build the way dbt does is
reported with its location; nothing is skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odibi_sql.diagnostics import (
    Diagnostic,
    DiagnosticCollector,
    Location,
    ProjectError,
    did_you_mean,
    relative,
)
from odibi_sql.project.config import Defaults, FilesConnection, ProjectConfig
from odibi_sql.project.dbt.doc_blocks import read_doc_blocks
from odibi_sql.project.dbt.macros import read_macros
from odibi_sql.project.dbt.profiles import read_profile
from odibi_sql.project.dbt.properties import read_properties
from odibi_sql.project.dbt.resources import Context, model_nodes, seed_nodes, singular_tests, source_nodes
from odibi_sql.project.loader import NodeDef, Project, render_env_vars
from odibi_sql.project.node_spec import NAME_PATTERN, Materialized
from odibi_sql.project.yaml_loader import LocatedDocument, YamlError, load_yaml

DBT_PROJECT_FILE = "dbt_project.yml"
_READ_KEYS = {
    "name", "version", "config-version", "profile", "model-paths", "seed-paths", "test-paths",
    "macro-paths", "docs-paths", "snapshot-paths", "vars", "models", "seeds", "require-dbt-version",
}  # fmt: skip
# keys about dbt's own files and logs: nothing odibi-sql builds depends on them
_IGNORED_KEYS = {"target-path", "log-path", "packages-install-path", "clean-targets", "asset-paths",
                 "analysis-paths", "query-comment", "flags"}  # fmt: skip
_DEFAULT_PATHS = {
    "model-paths": ["models"],
    "seed-paths": ["seeds"],
    "test-paths": ["tests"],
    "macro-paths": ["macros"],
    "snapshot-paths": ["snapshots"],
}


@dataclass(frozen=True)
class Paths:
    models: list[Path]
    seeds: list[Path]
    tests: list[Path]
    macros: list[Path]
    docs: list[Path]


def is_dbt_project(root: Path) -> bool:
    return (root / DBT_PROJECT_FILE).is_file()


def load_dbt_project(
    root: Path, cli_vars: dict[str, Any] | None = None, target: str | None = None
) -> Project:
    """Load a dbt project; raise ``ProjectError`` with every problem found."""
    root = root.resolve()
    errors = DiagnosticCollector()
    try:
        doc = load_yaml(root / DBT_PROJECT_FILE, DBT_PROJECT_FILE)
    except YamlError as exc:
        raise ProjectError([exc.diagnostic]) from None
    if not isinstance(doc.data, dict):
        raise ProjectError([Diagnostic("expected a mapping of keys", Location(DBT_PROJECT_FILE, 1, 1))])
    render_env_vars(doc, errors)
    data = doc.data
    name = data.get("name")
    if not isinstance(name, str) or not re.match(NAME_PATTERN, name):
        errors.add(
            "name: a dbt project needs a name of letters, digits and underscores",
            doc.locate(("name",)),
            hint="e.g. name: jaffle_shop",
        )
        errors.raise_if_errors()
    _check_project_keys(doc, errors)
    paths = _paths(root, doc, errors)
    profile = read_profile(root, name, data.get("profile"), errors, render_env_vars)
    target_name = target or profile.default or next(iter(profile.targets), "dev")
    chosen = profile.targets.get(target_name)
    if chosen is None:
        errors.add(
            f"--target {target_name}: the profile has no duckdb or spark output of that name."
            + did_you_mean(target_name, profile.targets),
            Location(profile.file) if profile.file else None,
            hint=f"known targets: {', '.join(profile.targets) or '(none)'}",
        )
        errors.raise_if_errors()
    assert chosen is not None
    variables = _vars(doc, name, errors)
    macros = read_macros(root, paths.macros, "spark" if chosen.type == "spark" else "duckdb", errors)
    properties = read_properties(root, [*paths.models, *paths.seeds], errors)
    ctx = Context(
        root=root,
        project=name,
        project_doc=doc,
        target_schema=chosen.schema,
        properties=properties,
        docs=read_doc_blocks(root, [*paths.docs, *paths.models]),
        known_names=macros.names,
        namespaces=macros.namespaces,
        packages=_packages(root, errors),
        errors=errors,
    )
    nodes: dict[str, NodeDef] = {}
    for node in [
        *seed_nodes(ctx, paths.seeds),
        *model_nodes(ctx, paths.models),
        *singular_tests(ctx, paths.tests),
    ]:
        _add(nodes, node, errors)
    sources, aliases = source_nodes(ctx, nodes)
    for node in sources:
        _add(nodes, node, errors)
    errors.raise_if_errors()
    config = ProjectConfig(
        name=name,
        version=str(data["version"]) if data.get("version") is not None else None,
        sql_dialect="spark" if chosen.type == "spark" else "duckdb",
        default_target=target_name,
        targets={n: t.target for n, t in profile.targets.items()},
        connections={"__dbt_files__": FilesConnection(type="files", path=".")} if sources else {},
        vars=variables,
        defaults=Defaults(materialized=Materialized.VIEW),
    )
    return Project(
        root=root,
        config=config,
        nodes=nodes,
        macro_files=macros.files,
        target_name=target_name,
        target=chosen.target,
        vars={**variables, **(cli_vars or {})},
        kind="dbt",
        source_aliases=aliases,
    )


def _check_project_keys(doc: LocatedDocument, errors: DiagnosticCollector) -> None:
    for key in doc.data:
        if key in _READ_KEYS or key in _IGNORED_KEYS:
            continue
        errors.add(
            f"'{key}' in {DBT_PROJECT_FILE} is not supported by odibi-sql.{did_you_mean(str(key), _READ_KEYS)}",
            doc.positions.get((key, "__key__")) or doc.locate((key,)),
            hint=f"remove '{key}' to open the project (see docs/coming-from-dbt.md)",
        )


def _paths(root: Path, doc: LocatedDocument, errors: DiagnosticCollector) -> Paths:
    found: dict[str, list[Path]] = {}
    for key, default in {**_DEFAULT_PATHS, "docs-paths": []}.items():
        value = doc.data.get(key, default)
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.add(f"{key} must be a list of folders", doc.locate((key,)))
            value = default
        folders = []
        for entry in value:
            folder = (root / entry).resolve()
            if not folder.is_relative_to(root):
                errors.add(
                    f"{key}: '{entry}' is outside the project",
                    doc.locate((key,)),
                    hint="odibi-sql reads only inside the project folder",
                )
                continue
            folders.append(folder)
        found[key] = folders
    for folder in found["snapshot-paths"]:
        for path in sorted(folder.rglob("*.sql")) if folder.is_dir() else []:
            errors.add(
                "snapshots are not supported",
                Location(relative(path, root), 1),
                hint="remove the snapshot (or move it out of the snapshot paths) to open the project",
            )
    return Paths(
        found["model-paths"],
        found["seed-paths"],
        found["test-paths"],
        found["macro-paths"],
        found["docs-paths"],
    )


def _vars(doc: LocatedDocument, project: str, errors: DiagnosticCollector) -> dict[str, Any]:
    """Global vars, then the vars scoped to this project (``vars: {<project>: {...}}``) over them."""
    raw = doc.data.get("vars") or {}
    if not isinstance(raw, dict):
        errors.add("vars must be a mapping", doc.locate(("vars",)))
        return {}
    scoped = raw.get(project) if isinstance(raw.get(project), dict) else {}
    return {**{k: v for k, v in raw.items() if k != project}, **scoped}


def _packages(root: Path, errors: DiagnosticCollector) -> frozenset[str]:
    """Namespaces of the packages packages.yml (or dependencies.yml) lists: ``dbt-labs/dbt_utils`` -> dbt_utils."""
    names: set[str] = set()
    for file in ("packages.yml", "dependencies.yml"):
        if not (root / file).is_file():
            continue
        try:
            doc = load_yaml(root / file, file)
        except YamlError as exc:
            errors.extend([exc.diagnostic])
            continue
        for entry in (doc.data or {}).get("packages") or [] if isinstance(doc.data, dict) else []:
            if isinstance(entry, dict):
                source = str(entry.get("package") or entry.get("git") or entry.get("local") or "")
                names.add(source.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1].replace("-", "_"))
    return frozenset(names)


def _add(nodes: dict[str, NodeDef], node: NodeDef, errors: DiagnosticCollector) -> None:
    if node.name in nodes:
        errors.add(
            f"'{node.name}' is defined twice (also at {nodes[node.name].location})",
            node.location,
            hint="model, seed and source names are unique across the project: rename one of them",
        )
        return
    nodes[node.name] = node
