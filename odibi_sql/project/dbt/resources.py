"""Models, seeds and sources of a dbt project as ``NodeDef``s, with dbt's configuration precedence:
dbt_project.yml folders < properties ``config:`` < the model's ``config()``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from odibi_sql.diagnostics import DiagnosticCollector, Location, relative
from odibi_sql.project.config import SeedConfig
from odibi_sql.project.dbt.doc_blocks import render_description
from odibi_sql.project.dbt.generic_tests import DbtTestError, convert_test
from odibi_sql.project.dbt.hierarchy import ConfigValue, folder_config
from odibi_sql.project.dbt.model_sql import parse_model_sql
from odibi_sql.project.dbt.naming import schema_name
from odibi_sql.project.dbt.properties import Entry, Properties, columns_of
from odibi_sql.project.dbt.seed_types import SeedTypeError, infer_seed_types
from odibi_sql.project.files import OUTSIDE_HINT, FileProblem, is_inside, read_inside
from odibi_sql.project.loader import NodeDef
from odibi_sql.project.node_spec import ColumnSpec, NodeSpec
from odibi_sql.project.yaml_loader import LocatedDocument

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# configuration that only documents (dbt shows it in docs; it builds nothing)
_DESCRIPTIVE = {"meta", "docs", "persist_docs"}
_MODEL_CONFIG = {"materialized", "schema", "alias", "tags", "enabled", "unique_key", "incremental_strategy",
                 "on_schema_change", "partition_by", *_DESCRIPTIVE}  # fmt: skip
_SEED_CONFIG = {
    "schema",
    "alias",
    "tags",
    "enabled",
    "column_types",
    "delimiter",
    "quote_columns",
    *_DESCRIPTIVE,
}
# dbt's default strategy deletes the rows whose unique_key comes again, then inserts; without a key, it appends
_STRATEGIES = {None: "default", "default": "default", "append": "append", "merge": "merge",
               "delete+insert": "delete_insert", "insert_overwrite": "insert_overwrite"}  # fmt: skip
_ON_SCHEMA_CHANGE = {None: "fail", "ignore": "fail", "fail": "fail",
                     "append_new_columns": "append_new_columns", "sync_all_columns": "sync_all_columns"}  # fmt: skip
# freshness and loader describe how the data arrives: dbt checks them in `dbt source freshness` only
_SOURCE_KEYS = {"name", "description", "schema", "tables", "meta", "config", "loader", "freshness",
                "loaded_at_field", "tags"}  # fmt: skip
_SOURCE_TABLE_KEYS = {"name", "identifier", "description", "columns", "meta", "config", "tests", "data_tests",
                      "freshness", "loaded_at_field", "tags"}  # fmt: skip
# names a dbt model may use: odibi-sql's render context and Jinja's own globals
_CONTEXT_NAMES = {"ref", "source", "var", "env_var", "is_incremental", "this", "config", "target", "log",
                  "exceptions", "modules", "return", "range", "dict", "lipsum", "cycler", "joiner", "namespace",
                  "loop", "true", "false", "none", "True", "False", "None"}  # fmt: skip
_UNSUPPORTED_NAMES = {
    "adapter": "dbt's adapter object (it queries the warehouse while compiling)",
    "run_query": "run_query (it queries the warehouse while compiling)",
    "statement": "statement blocks (they query the warehouse while compiling)",
    "load_result": "load_result (it reads results of queries run while compiling)",
    "graph": "the graph object",
    "execute": "execute (odibi-sql never runs queries while compiling)",
}


@dataclass
class Context:
    root: Path
    project: str
    project_doc: LocatedDocument
    target_schema: str
    properties: Properties
    docs: dict[str, str]
    known_names: frozenset[str]
    namespaces: dict[str, frozenset[str]]
    packages: frozenset[str]
    """Namespaces of the packages packages.yml lists (``dbt_utils``)."""
    errors: DiagnosticCollector

    def description(self, text: Any, where: Location) -> str | None:
        rendered, missing = render_description(text if isinstance(text, str) else None, self.docs)
        if missing:
            self.errors.add(
                f"doc('{missing}'): there is no {{% docs {missing} %}} block",
                where,
                hint="add the block to a .md file under the model or docs paths",
            )
        return rendered


def model_nodes(ctx: Context, folders: list[Path]) -> Iterable[NodeDef]:
    for folder in folders:
        for path in sorted(folder.rglob("*.sql")) if folder.is_dir() else []:
            node = _model(ctx, folder, path)
            if node is not None:
                yield node
        for path in sorted(folder.rglob("*.py")) if folder.is_dir() else []:
            ctx.errors.add(
                "Python models are not supported",
                Location(relative(path, ctx.root), 1),
                hint="write the model in SQL to open the project",
            )
    described = set(ctx.properties.models)
    seen = {p.stem for f in folders if f.is_dir() for p in f.rglob("*.sql")}
    for name in sorted(described - seen):
        entry = ctx.properties.models[name]
        ctx.errors.add(
            f"properties describe model '{name}', which has no .sql file",
            entry.locate("name"),
            hint=f"add models/.../{name}.sql or remove the entry",
        )


def _model(ctx: Context, folder: Path, path: Path) -> NodeDef | None:
    display = relative(path, ctx.root)
    name = path.stem
    where = Location(display, 1, 1)
    if not _IDENT.match(name):
        ctx.errors.add(
            f"model file name '{path.name}' is not a valid name", where, hint="use letters, digits and _"
        )
        return None
    try:
        text = read_inside(path, ctx.root, display)
    except FileProblem as exc:
        ctx.errors.add(exc.message, Location(display, exc.line), hint=exc.hint)
        return None
    parsed, problems = parse_model_sql(text, display)
    ctx.errors.extend(problems)
    _check_names(ctx, parsed.names, display)
    _check_namespaces(ctx, parsed.attributes, display)
    entry = ctx.properties.models.get(name)
    folders = path.parent.relative_to(folder).parts
    config = folder_config(ctx.project_doc, "models", ctx.project, folders, name)
    _overlay(config, _entry_config(entry))
    _overlay(
        config,
        {k: ConfigValue(v, Location(display, parsed.config_lines[k])) for k, v in parsed.config.items()},
    )
    _check_config(ctx, config, _MODEL_CONFIG, "model")
    if not _value(config, "enabled", True):
        return None
    materialized = _value(config, "materialized", "view")
    if materialized not in ("view", "table", "incremental", "ephemeral"):
        ctx.errors.add(
            f"materialized='{materialized}' is not supported",
            config["materialized"].location,
            hint="use view, table, incremental or ephemeral",
        )
        return None
    write = _write(ctx, config, name, materialized)
    if write is None:
        return None
    spec = _spec(
        ctx,
        entry,
        name=name,
        sql=display,
        materialized=materialized,
        write=write,
        tags=_tags(config),
        meta=_value(config, "meta", {}) or {},
    )
    if spec is None:
        return None
    node = NodeDef(
        spec=spec,
        pipeline=folders[0] if folders and _IDENT.match(folders[0]) else "models",
        resource_type="model",
        file=display,
        location=where,
        tags=tuple(spec.tags),
        sql_text=text,
        sql_file=display,
        sql_location=where,
        doc=entry.doc if entry else None,
        doc_path=entry.path if entry else (),
    )
    return node


def singular_tests(ctx: Context, folders: list[Path]) -> Iterable[NodeDef]:
    """``tests/**/*.sql``: queries whose rows are failures; they run after the tables they read."""
    for folder in folders:
        for path in sorted(folder.rglob("*.sql")) if folder.is_dir() else []:
            display = relative(path, ctx.root)
            where = Location(display, 1, 1)
            if not _IDENT.match(path.stem):
                ctx.errors.add(
                    f"test file name '{path.name}' is not a valid name",
                    where,
                    hint="use letters, digits and _",
                )
                continue
            text = path.read_text(encoding="utf-8")
            parsed, problems = parse_model_sql(text, display)
            ctx.errors.extend(problems)
            _check_names(ctx, parsed.names, display)
            _check_namespaces(ctx, parsed.attributes, display)
            config = {
                k: ConfigValue(v, Location(display, parsed.config_lines[k])) for k, v in parsed.config.items()
            }
            _check_config(ctx, config, {"severity", "tags", "enabled"}, "test")
            if not _value(config, "enabled", True):
                continue
            severity = str(_value(config, "severity", "error")).lower()
            if severity not in ("error", "warn"):
                ctx.errors.add(f"severity '{severity}' is not error or warn", config["severity"].location)
                continue
            spec = NodeSpec(
                name=path.stem,
                sql=display,
                materialized="ephemeral",
                tags=_tags(config),
                meta={"severity": severity} if severity == "warn" else {},
            )
            yield NodeDef(
                spec=spec,
                pipeline="tests",
                resource_type="test",
                file=display,
                location=where,
                tags=tuple(spec.tags),
                sql_text=text,
                sql_file=display,
                sql_location=where,
            )


def seed_nodes(ctx: Context, folders: list[Path]) -> Iterable[NodeDef]:
    for folder in folders:
        for path in sorted(folder.rglob("*.csv")) if folder.is_dir() else []:
            node = _seed(ctx, folder, path)
            if node is not None:
                yield node


def _seed(ctx: Context, folder: Path, path: Path) -> NodeDef | None:
    display = relative(path, ctx.root)
    name = path.stem
    where = Location(display, 1, 1)
    if not is_inside(path, ctx.root):
        ctx.errors.add(
            f"seed '{display}' is outside the project (after following links); it was not read",
            Location(display),
            hint=OUTSIDE_HINT,
        )
        return None
    if not _IDENT.match(name):
        ctx.errors.add(
            f"seed file name '{path.name}' is not a valid name", where, hint="use letters, digits and _"
        )
        return None
    entry = ctx.properties.seeds.get(name)
    config = folder_config(ctx.project_doc, "seeds", ctx.project, path.parent.relative_to(folder).parts, name)
    _overlay(config, _entry_config(entry))
    _check_config(ctx, config, _SEED_CONFIG, "seed")
    if not _value(config, "enabled", True):
        return None
    delimiter = _value(config, "delimiter", ",")
    try:
        types = infer_seed_types(path, delimiter)
    except SeedTypeError as exc:
        ctx.errors.add(
            f"seed {name}: {exc}",
            where,
            hint=f"declare the type: seeds: {ctx.project}: {name}: +column_types: {{{exc.column}: varchar}}",
        )
        return None
    declared = _value(config, "column_types", {}) or {}
    for column in declared:
        if column not in types:
            ctx.errors.add(
                f"column_types: seed {name} has no column '{column}'",
                config["column_types"].location,
                hint=f"its columns: {', '.join(types)}",
            )
    columns = {c: {"type": str(declared.get(c, t))} for c, t in types.items()}
    schema = schema_name(ctx.target_schema, _value(config, "schema", None))
    spec = _spec(
        ctx,
        entry,
        name=name,
        read={"connection": "__seeds__", "format": "csv", "path": display},
        write={"table": f"{schema}.{_value(config, 'alias', name)}"},
        tags=_tags(config),
        meta=_value(config, "meta", {}) or {},
        base_columns=columns,
    )
    if spec is None:
        return None
    return NodeDef(
        spec=spec,
        pipeline="seeds",
        resource_type="seed",
        file=display,
        location=where,
        tags=tuple(dict.fromkeys(["seed", *spec.tags])),
        seed_config=SeedConfig(delimiter=delimiter) if delimiter != "," else None,
        doc=entry.doc if entry else None,
        doc_path=entry.path if entry else (),
    )


def source_nodes(ctx: Context, nodes: dict[str, NodeDef]) -> tuple[list[NodeDef], dict[tuple[str, str], str]]:
    """Sources: a table the project builds is read from that node; a file in
    ``meta.external_location`` becomes a source node reading it."""
    relations = {n.spec.write.table.lower(): n.name for n in nodes.values() if n.spec.write.table}
    out: list[NodeDef] = []
    aliases: dict[tuple[str, str], str] = {}
    for entry in ctx.properties.sources:
        _check_keys(ctx, entry, _SOURCE_KEYS)
        source = entry.data["name"]
        schema = entry.data.get("schema", source)
        for i, table in enumerate(entry.data.get("tables") or []):
            if not isinstance(table, dict) or not isinstance(table.get("name"), str):
                ctx.errors.add("tables: each entry needs a name", entry.locate("tables", i))
                continue
            t_entry = Entry(entry.doc, (*entry.path, "tables", i), table)
            name = table["name"]
            identifier = table.get("identifier", name)
            _check_keys(ctx, t_entry, _SOURCE_TABLE_KEYS)
            meta = {**(entry.data.get("meta") or {}), **(entry.data.get("config") or {}).get("meta", {}),
                    **(table.get("meta") or {}), **(table.get("config") or {}).get("meta", {})}  # fmt: skip
            external = meta.get("external_location") or (entry.data.get("config") or {}).get(
                "external_location"
            )
            built = relations.get(f"{schema}.{identifier}".lower())
            if external:
                node = _external_source(ctx, t_entry, source, name, str(external).format(name=identifier))
                if node is not None:
                    out.append(node)
                    aliases[(source, name)] = node.name
                if _has_tests(table):
                    ctx.errors.add(
                        f"tests on source {source}.{name}, read from a file, are not supported",
                        t_entry.locate("name"),
                        hint="test the model that selects from the source instead",
                    )
            elif built is not None:
                aliases[(source, name)] = built
                _add_source_tests(ctx, t_entry, nodes[built], f"{source}_{name}")
            else:
                ctx.errors.add(
                    f"source {source}.{name}: table {schema}.{identifier} is not built by this project",
                    t_entry.locate("name"),
                    hint="give the table meta: {external_location: 'path/to/file.csv'}, or load it with a seed",
                )
    return out, aliases


def _has_tests(table: dict) -> bool:
    columns = [c for c in table.get("columns") or [] if isinstance(c, dict)]
    return any(t.get("tests") or t.get("data_tests") for t in [table, *columns])


def _add_source_tests(ctx: Context, entry: Entry, node: NodeDef, target: str) -> None:
    """A source's tests test the seed or model that builds its table, named as dbt names them."""
    for i, column in columns_of(entry, ctx.errors):
        tests = _tests(ctx, entry, ("columns", i), column, target, column["name"], prefix="source_")
        if tests:
            spec = node.spec.columns.get(column["name"]) or ColumnSpec()
            spec.tests.extend(tests)
            node.spec.columns[column["name"]] = spec
    node.spec.tests.extend(_tests(ctx, entry, (), entry.data, target, None, prefix="source_"))


def _check_keys(ctx: Context, entry: Entry, allowed: set[str]) -> None:
    for key in entry.data:
        if key not in allowed:
            ctx.errors.add(
                f"'{key}' is not supported by odibi-sql",
                entry.doc.positions.get((*entry.path, key, "__key__")) or entry.locate(key),
                hint=f"supported here: {', '.join(sorted(allowed))}",
            )


def _external_source(ctx: Context, entry: Entry, source: str, table: str, location: str) -> NodeDef | None:
    path = (ctx.root / location).resolve()
    fmt = path.suffix.lstrip(".").lower()
    if not path.is_relative_to(ctx.root) or fmt not in ("csv", "parquet", "json"):
        ctx.errors.add(
            f"source {source}.{table}: external_location '{location}' is not a csv, parquet or json file in the project",
            entry.locate("name"),
            hint="point it at a file inside the project folder",
        )
        return None
    try:
        spec = NodeSpec(
            name=f"{source}__{table}",
            description=ctx.description(entry.data.get("description"), entry.locate("description")),
            read={"connection": "__dbt_files__", "format": fmt, "path": relative(path, ctx.root)},
            materialized="ephemeral",
        )
    except ValidationError as exc:
        ctx.errors.add(f"source {source}.{table}: {exc.errors()[0]['msg']}", entry.locate("name"))
        return None
    return NodeDef(
        spec=spec,
        pipeline="sources",
        resource_type="source",
        file=entry.doc.file,
        location=entry.locate("name"),
        tags=("source",),
        doc=entry.doc,
        doc_path=entry.path,
    )


def _write(
    ctx: Context, config: dict[str, ConfigValue], name: str, materialized: str
) -> dict[str, Any] | None:
    schema = schema_name(ctx.target_schema, _value(config, "schema", None))
    write: dict[str, Any] = {"table": f"{schema}.{_value(config, 'alias', name)}"}
    partition = _value(config, "partition_by", None)
    partition = [partition] if isinstance(partition, str) else partition or []
    if not isinstance(partition, list) or not all(isinstance(c, str) and _IDENT.match(c) for c in partition):
        ctx.errors.add(
            "partition_by takes a column name or a list of column names",
            config["partition_by"].location,
            hint="e.g. partition_by=['order_date']",
        )
        return None
    if partition and materialized in ("table", "incremental"):
        write["partition_by"] = partition
    if materialized != "incremental":
        return write
    strategy = _value(config, "incremental_strategy", None)
    unique_key = _value(config, "unique_key", None)
    keys = [unique_key] if isinstance(unique_key, str) else list(unique_key or [])
    for key in keys:
        if not _IDENT.match(str(key)):
            ctx.errors.add(
                f"unique_key '{key}' is an expression; odibi-sql takes column names",
                config["unique_key"].location,
                hint="list the columns: unique_key=['a', 'b']",
            )
            return None
    if strategy not in _STRATEGIES:
        ctx.errors.add(
            f"incremental_strategy '{strategy}' is not supported",
            config["incremental_strategy"].location,
            hint="use append, merge, delete+insert or insert_overwrite",
        )
        return None
    mode = _STRATEGIES[strategy]
    if mode == "default":
        mode = "delete_insert" if keys else "append"
    if mode in ("merge", "delete_insert") and not keys:
        ctx.errors.add(
            f"incremental_strategy '{strategy}' needs a unique_key",
            config["incremental_strategy"].location,
            hint="set unique_key='id' (or a list of columns)",
        )
        return None
    on_change = _value(config, "on_schema_change", None)
    if on_change not in _ON_SCHEMA_CHANGE:
        ctx.errors.add(
            f"on_schema_change '{on_change}' is not one of ignore, fail, append_new_columns, sync_all_columns",
            config["on_schema_change"].location,
        )
        return None
    write.update(
        mode=mode,
        unique_key=keys if mode in ("merge", "delete_insert") else [],
        on_schema_change=_ON_SCHEMA_CHANGE[on_change],
    )
    return write


def _spec(
    ctx: Context, entry: Entry | None, base_columns: dict | None = None, **fields: Any
) -> NodeSpec | None:
    columns: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (base_columns or {}).items()}
    tests: list[dict[str, Any]] = []
    name = fields["name"]
    for i, column in columns_of(entry, ctx.errors):
        assert entry is not None
        col = column["name"]
        spec = columns.setdefault(col, {})
        spec["description"] = ctx.description(
            column.get("description"), entry.locate("columns", i, "description")
        )
        spec["tests"] = _tests(ctx, entry, ("columns", i), column, name, col)
    if entry is not None:
        tests = _tests(ctx, entry, (), entry.data, name, None)
        fields["description"] = ctx.description(entry.data.get("description"), entry.locate("description"))
    try:
        return NodeSpec(columns=columns, tests=tests, **fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        ctx.errors.add(
            f"{name}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}",
            entry.locate() if entry else None,
        )
        return None


def _tests(
    ctx: Context, entry: Entry, path: tuple, data: dict, model: str, column: str | None, prefix: str = ""
) -> list[dict]:
    out = []
    for key in ("tests", "data_tests"):
        for i, raw in enumerate(data.get(key) or []):
            try:
                out.append(convert_test(raw, model, column, prefix))
            except DbtTestError as exc:
                ctx.errors.add(exc.message, entry.locate(*path, key, i, *exc.key), hint=exc.hint)
    return out


def _entry_config(entry: Entry | None) -> dict[str, ConfigValue]:
    if entry is None:
        return {}
    out = {}
    config = entry.data.get("config") or {}
    for key, value in config.items():
        out[key] = ConfigValue(value, entry.locate("config", key))
    for key in ("tags", "meta", "docs"):
        if key in entry.data:
            out[key] = ConfigValue(entry.data[key], entry.locate(key))
    return out


def _overlay(config: dict[str, ConfigValue], over: dict[str, ConfigValue]) -> None:
    for key, value in over.items():
        if key == "tags" and key in config:
            merged = [*_list(config[key].value), *_list(value.value)]
            config[key] = ConfigValue(list(dict.fromkeys(merged)), value.location)
        else:
            config[key] = value


def _check_config(ctx: Context, config: dict[str, ConfigValue], allowed: set[str], kind: str) -> None:
    for key, value in config.items():
        if key not in allowed:
            ctx.errors.add(
                f"{kind} config '{key}' is not supported by odibi-sql",
                value.location,
                hint=f"supported: {', '.join(sorted(allowed))} (see docs/coming-from-dbt.md)",
            )


def _check_names(ctx: Context, names: dict[str, int], file: str) -> None:
    for name, line in names.items():
        if (
            name in _CONTEXT_NAMES
            or name in ctx.known_names
            or name in ctx.namespaces
            or name in ctx.packages
        ):
            continue
        what = _UNSUPPORTED_NAMES.get(name)
        ctx.errors.add(
            f"{what} is not supported" if what else f"'{name}' is not defined (not a macro of the project)",
            Location(file, line),
            hint="odibi-sql renders models without a warehouse connection; compute it in SQL instead"
            if what
            else "define the macro under macros/, or see docs/coming-from-dbt.md for the dbt macros provided",
        )


def _check_namespaces(ctx: Context, uses: dict[tuple[str, str], int], file: str) -> None:
    """``dbt.x`` and ``<package>.x``: provided natively, or an error naming the missing macro."""
    for (namespace, macro), line in uses.items():
        provided = ctx.namespaces.get(namespace)
        if namespace != "dbt" and namespace in ctx.namespaces and namespace not in ctx.packages:
            ctx.errors.add(
                f"{namespace}.{macro}: the package {namespace} is not in packages.yml",
                Location(file, line),
                hint=f"add {namespace} to packages.yml, as dbt needs it",
            )
        elif provided is not None and macro not in provided:
            ctx.errors.add(
                f"{namespace}.{macro} is not provided by odibi-sql (dbt reads it from a package or adapter)",
                Location(file, line),
                hint=f"odibi-sql provides {namespace}.{{{', '.join(sorted(provided))}}}; write the SQL instead",
            )
        elif provided is None and namespace in ctx.packages:
            ctx.errors.add(
                f"{namespace}.{macro}: the package {namespace} needs `dbt deps`; odibi-sql does not provide its macros",
                Location(file, line),
                hint="copy the macros you use into macros/, or write the SQL instead",
            )


def _value(config: dict[str, ConfigValue], key: str, default: Any) -> Any:
    return config[key].value if key in config else default


def _tags(config: dict[str, ConfigValue]) -> list[str]:
    return [str(t) for t in _list(_value(config, "tags", []))]


def _list(value: Any) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
