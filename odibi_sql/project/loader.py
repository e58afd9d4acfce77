"""Load a project: ``odibi_project.yaml`` (+ ``env.NAME.yaml`` overlay), pipelines, seeds, macros.

Every problem is collected and raised together as one ``ProjectError``; nothing is written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from odibi_sql.diagnostics import (
    Diagnostic,
    DiagnosticCollector,
    Location,
    ProjectError,
    did_you_mean,
    relative,
)
from odibi_sql.project.config import DuckDBTarget, FilesConnection, ProjectConfig, SeedConfig, Target
from odibi_sql.project.doc_blocks import collect_doc_blocks, resolve_docs
from odibi_sql.project.files import OUTSIDE_HINT, FileProblem, is_inside, pattern_escapes, read_text
from odibi_sql.project.node_spec import Materialized, NodeSpec, PipelineFile
from odibi_sql.project.overlay import deep_merge, merge_data
from odibi_sql.project.sandbox import UNSAFE_HINT, describe_template_error, is_escape, sandbox_environment
from odibi_sql.project.validation import validate
from odibi_sql.project.yaml_loader import LocatedDocument, YamlError, load_yaml

PROJECT_FILE = "odibi_project.yaml"


@dataclass
class NodeDef:
    """A node as loaded: its spec plus where it was defined."""

    spec: NodeSpec
    pipeline: str
    resource_type: str  # model | source | seed
    file: str  # project-relative path of the defining file
    location: Location
    tags: tuple[str, ...]
    sql_text: str | None = None
    sql_file: str | None = None
    sql_location: Location | None = None
    seed_config: SeedConfig | None = None
    doc: LocatedDocument | None = field(default=None, repr=False)
    doc_path: tuple = ()

    @property
    def name(self) -> str:
        return self.spec.name

    def materialized(self, defaults: Materialized) -> Materialized:
        """The node's materialization: its own setting, else seeds are tables, sources views, models the default."""
        if self.spec.materialized is not None:
            return self.spec.materialized
        return {"seed": Materialized.TABLE, "source": Materialized.VIEW}.get(self.resource_type, defaults)

    @functools.cached_property
    def checksum(self) -> str:
        """Changes whenever the node's definition or SQL changes (``state:modified``)."""
        payload = {
            "spec": self.spec.model_dump(mode="json", exclude={"description"}),
            "sql": self.sql_text,
            "tags": list(self.tags),
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for p in (self.file, self.sql_file) if p))

    def locate(self, *path: str | int) -> Location:
        """Location of a key of this node's YAML definition."""
        if self.doc is None:
            return self.location
        return self.doc.locate((*self.doc_path, *path))


@dataclass
class Project:
    root: Path
    config: ProjectConfig
    nodes: dict[str, NodeDef]
    macro_files: list[Path]
    target_name: str
    target: Target
    vars: dict[str, Any]
    env: str | None = None
    kind: str = "odibi"
    """``dbt`` when read from a dbt project (dbt_project.yml)."""
    source_aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    """``source('s', 't')`` -> the node that holds the table (dbt sources the project builds)."""

    def materialized(self, name: str) -> Materialized:
        return self.nodes[name].materialized(self.config.defaults.materialized)


def load_project(
    root: Path,
    env: str | None = None,
    cli_vars: dict[str, Any] | None = None,
    target: str | None = None,
) -> Project:
    """Load and validate everything; raise ``ProjectError`` with every diagnostic found."""
    root = root.resolve()
    errors = DiagnosticCollector()
    project_file = root / PROJECT_FILE
    if not project_file.is_file() and (root / "dbt_project.yml").is_file():
        from odibi_sql.project.dbt.reader import load_dbt_project

        if env:
            raise ProjectError(
                [
                    Diagnostic(
                        "--env overlays are for odibi_project.yaml projects",
                        hint="use --target with profiles.yml",
                    )
                ]
            )
        return load_dbt_project(root, cli_vars=cli_vars, target=target)
    if not project_file.is_file():
        raise ProjectError(
            [
                Diagnostic(
                    f"no {PROJECT_FILE} in {root}", hint="run `odibi-sql init DIR` or pass --project-dir"
                )
            ]
        )
    doc = _load(project_file, root, errors)
    if env:
        overlay_file = root / f"env.{env}.yaml"
        if not overlay_file.is_file():
            errors.add(
                f"--env {env}: there is no env.{env}.yaml in the project",
                Location(relative(overlay_file, root)),
                hint="create the overlay file or pick another environment",
            )
        elif doc is not None and (overlay := _load(overlay_file, root, errors)) is not None:
            doc = deep_merge(doc, overlay)
    errors.raise_if_errors()
    assert doc is not None
    render_env_vars(doc, errors)
    config, diags = validate(ProjectConfig, doc)
    errors.extend(diags)
    errors.raise_if_errors()

    nodes = _load_pipelines(root, config, errors)
    _load_seeds(root, config, doc, nodes, errors)
    _check_overrides(config, doc, nodes, errors)
    _resolve_doc_blocks(root, nodes, errors)
    target_name, target_config = _resolve_target(config, doc, target, errors)
    errors.raise_if_errors()

    macro_dir = root / "macros"
    macro_files = sorted(macro_dir.rglob("*.sql")) if macro_dir.is_dir() else []
    for path in macro_files:
        if not is_inside(path, root):
            display = relative(path, root)
            errors.add(_OUTSIDE.format(what="macro file", file=display), Location(display), hint=OUTSIDE_HINT)
    errors.raise_if_errors()
    return Project(
        root=root,
        config=config,
        nodes=nodes,
        macro_files=macro_files,
        target_name=target_name,
        target=target_config,
        vars={**config.vars, **(cli_vars or {})},
        env=env,
    )


def _resolve_doc_blocks(root: Path, nodes: dict[str, NodeDef], errors: DiagnosticCollector) -> None:
    """Descriptions with ``{{ doc('name') }}`` get the docs block's text."""
    if not any(
        "doc(" in (n.spec.description or "")
        or any("doc(" in (c.description or "") for c in n.spec.columns.values())
        for n in nodes.values()
    ):
        return
    blocks = collect_doc_blocks(root, errors)
    for node in nodes.values():
        spec = node.spec
        columns = {
            name: column.model_copy(
                update={
                    "description": resolve_docs(
                        column.description, blocks, node.locate("columns", name, "description"), errors
                    )
                }
            )
            for name, column in spec.columns.items()
        }
        description = resolve_docs(spec.description, blocks, node.locate("description"), errors)
        node.spec = spec.model_copy(update={"description": description, "columns": columns})


def _load(path: Path, root: Path, errors: DiagnosticCollector) -> LocatedDocument | None:
    if not is_inside(path, root):
        errors.add(
            _OUTSIDE.format(what="the YAML file", file=relative(path, root)),
            Location(relative(path, root)),
            hint=OUTSIDE_HINT,
        )
        return None
    try:
        doc = load_yaml(path, relative(path, root))
    except YamlError as exc:
        errors.extend([exc.diagnostic])
        return None
    if not isinstance(doc.data, dict):
        errors.add("expected a mapping of keys at the top of the file", Location(doc.file, 1, 1))
        return None
    return doc


def render_env_vars(doc: LocatedDocument, errors: DiagnosticCollector) -> None:
    """Render ``{{ env_var('X', 'default') }}`` in string values of the project file."""
    env = sandbox_environment()

    class _Missing(Exception):
        pass

    def env_var(name: str, default: Any = None) -> Any:
        if name in os.environ:
            return os.environ[name]
        if default is None:
            raise _Missing(name)
        return default

    def walk(value: Any, path: tuple) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, str) and "{{" in value:
            try:
                return env.from_string(value).render(env_var=env_var)
            except _Missing as exc:
                errors.add(
                    f"environment variable {exc.args[0]} is not set",
                    doc.locate(path),
                    hint=f"export {exc.args[0]}=... or give a default: env_var('{exc.args[0]}', 'value')",
                )
            except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:
                errors.add(
                    f"invalid template in value: {describe_template_error(exc)}",
                    doc.locate(path),
                    hint=UNSAFE_HINT if is_escape(exc) else None,
                )
        return value

    doc.data = walk(doc.data, ())


def _load_pipelines(root: Path, config: ProjectConfig, errors: DiagnosticCollector) -> dict[str, NodeDef]:
    nodes: dict[str, NodeDef] = {}
    pipeline_dir = root / "pipelines"
    files = (
        sorted([*pipeline_dir.rglob("*.yaml"), *pipeline_dir.rglob("*.yml")]) if pipeline_dir.is_dir() else []
    )
    seen_pipelines: dict[str, Location] = {}
    for path in files:
        doc = _load(path, root, errors)
        if doc is None:
            continue
        for i, raw in enumerate(doc.data.get("nodes") or []):
            if isinstance(raw, dict) and raw.get("name") in config.nodes:
                doc.data["nodes"][i] = merge_data(raw, config.nodes[raw["name"]])
        pipeline, diags = validate(PipelineFile, doc)
        errors.extend(diags)
        if pipeline is None:
            continue
        if pipeline.pipeline in seen_pipelines:
            errors.add(
                f"pipeline '{pipeline.pipeline}' is also defined in {seen_pipelines[pipeline.pipeline]}",
                doc.locate(("pipeline",)),
                hint="give each pipeline file a unique 'pipeline:' name",
            )
        seen_pipelines[pipeline.pipeline] = doc.locate(("pipeline",))
        for i, spec in enumerate(pipeline.nodes):
            node = NodeDef(
                spec=spec,
                pipeline=pipeline.pipeline,
                resource_type="source" if spec.read else "model",
                file=doc.file,
                location=doc.locate(("nodes", i)),
                tags=tuple(dict.fromkeys([*config.defaults.tags, *pipeline.tags, *spec.tags])),
                doc=doc,
                doc_path=("nodes", i),
            )
            _attach_sql(root, node, doc, errors)
            _check_read_path(root, config, node, errors)
            _add_node(nodes, node, errors)
    return nodes


def _attach_sql(root: Path, node: NodeDef, doc: LocatedDocument, errors: DiagnosticCollector) -> None:
    sql = node.spec.sql
    if sql is None:
        return
    stripped = sql.strip()
    if stripped.endswith(".sql") and "\n" not in stripped and " " not in stripped:
        path = root / stripped
        if not is_inside(path, root):
            errors.add(
                f"node {node.name}: " + _OUTSIDE.format(what="SQL file", file=stripped),
                node.locate("sql"),
                hint=OUTSIDE_HINT,
            )
            return
        if not path.is_file():
            errors.add(
                f"node {node.name}: SQL file '{stripped}' does not exist",
                node.locate("sql"),
                hint="paths are relative to the project root, e.g. sql/silver/clean_orders.sql",
            )
            return
        try:
            node.sql_text = read_text(path, relative(path, root))
        except FileProblem as exc:
            errors.add(
                exc.message,
                Location(relative(path, root), exc.line) if exc.line else node.locate("sql"),
                hint=exc.hint,
            )
            return
        node.sql_file = relative(path, root)
        node.sql_location = Location(node.sql_file, 1, 1)
        return
    node.sql_text = sql
    loc = node.locate("sql")
    # a block scalar's text starts on the line after the `|`
    if (*node.doc_path, "sql") in doc.block_scalars:
        node.sql_location = _block_start(root / doc.file, loc)
    else:
        node.sql_location = loc


def _check_read_path(root: Path, config: ProjectConfig, node: NodeDef, errors: DiagnosticCollector) -> None:
    """A ``read:`` path stays inside its connection's folder."""
    read = node.spec.read
    connection = config.connections.get(read.connection) if read is not None else None
    if read is None or read.path is None or not isinstance(connection, FilesConnection):
        return
    if pattern_escapes(read.path, root / connection.path):
        errors.add(
            f"read.path '{read.path}' leads outside the folder of connection '{read.connection}'",
            node.locate("read", "path"),
            node=node.name,
            hint=f"a source reads files inside its connection's folder ({connection.path}); "
            "point the connection at the folder that holds them",
        )


_OUTSIDE = "{what} '{file}' is outside the project (after following links); it was not read"


def _block_start(path: Path, key: Location) -> Location:
    """Where a block scalar's text starts: the line after ``sql: |``, at its indentation."""
    lines = read_text(path, key.file).splitlines()
    for number in range(key.line, len(lines)):
        text = lines[number]
        if text.strip():
            return Location(key.file, number + 1, len(text) - len(text.lstrip()) + 1)
    return key.shifted(1, 1)


def _add_node(nodes: dict[str, NodeDef], node: NodeDef, errors: DiagnosticCollector) -> None:
    if node.name in nodes:
        other = nodes[node.name]
        errors.add(
            f"node '{node.name}' is defined twice (also at {other.location})",
            node.location,
            hint="node names are unique across the project: rename one of them",
        )
        return
    nodes[node.name] = node


def _load_seeds(
    root: Path,
    config: ProjectConfig,
    doc: LocatedDocument,
    nodes: dict[str, NodeDef],
    errors: DiagnosticCollector,
) -> None:
    seed_dir = root / "seeds"
    files = sorted(seed_dir.rglob("*.csv")) if seed_dir.is_dir() else []
    for path in files:
        name = path.stem
        seed_config = config.seeds.get(name, SeedConfig())
        display = relative(path, root)
        if not is_inside(path, root):
            errors.add(_OUTSIDE.format(what="seed", file=display), Location(display), hint=OUTSIDE_HINT)
            continue
        try:
            spec = NodeSpec(
                name=name,
                description=seed_config.description,
                read={"connection": "__seeds__", "format": "csv", "path": display},
                columns=seed_config.columns,
                tags=seed_config.tags,
                write={"table": seed_config.table} if seed_config.table else {},
            )
        except ValueError:
            errors.add(
                f"seed file name '{path.name}' is not a valid node name",
                Location(display),
                hint="use letters, digits and underscores, starting with a letter",
            )
            continue
        node = NodeDef(
            spec=spec,
            pipeline="seeds",
            resource_type="seed",
            file=display,
            location=Location(display, 1, 1),
            tags=tuple(dict.fromkeys([*config.defaults.tags, "seed", *seed_config.tags])),
        )
        _add_node(nodes, node, errors)
    for name in config.seeds:
        if name not in nodes:
            errors.add(
                f"seeds: '{name}' has no file seeds/{name}.csv",
                doc.positions.get(("seeds", name, "__key__")) or doc.locate(("seeds", name)),
                hint="add the CSV file or remove the entry",
            )


def _check_overrides(
    config: ProjectConfig, doc: LocatedDocument, nodes: dict[str, NodeDef], errors: DiagnosticCollector
) -> None:
    for name in config.nodes:
        if name not in nodes:
            errors.add(
                f"nodes: override for unknown node '{name}'.{did_you_mean(name, nodes)}",
                doc.locate(("nodes", name)),
            )


def _resolve_target(
    config: ProjectConfig, doc: LocatedDocument, requested: str | None, errors: DiagnosticCollector
) -> tuple[str, Target]:
    name = requested or config.default_target or next(iter(config.targets), None)
    if name is None:
        return "default", DuckDBTarget(path=f"target/{config.name}.duckdb")
    if name not in config.targets:
        where = "--target" if requested else "default_target"
        errors.add(
            f"{where}: unknown target '{name}'.{did_you_mean(name, config.targets)}",
            doc.locate(("default_target",)) if not requested else None,
            hint=f"known targets: {', '.join(config.targets) or '(none)'}",
        )
        return name, DuckDBTarget()
    target = config.targets[name]
    if isinstance(target, DuckDBTarget):
        target = target.model_copy(update={"path": target.path.replace("{project}", config.name)})
    return name, target
