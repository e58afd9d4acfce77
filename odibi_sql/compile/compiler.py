"""Compile a loaded project: render, build the DAG, parse, resolve, apply transforms, qualify, render dialects.

Every problem in every node is collected and raised together (``ProjectError``); nodes whose
upstream failed are skipped rather than reported twice.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlglot import exp

from odibi_sql.compile import csv_text, portability
from odibi_sql.compile.chain import ChainError, apply_steps, validate_steps
from odibi_sql.compile.contracts import contract_problems
from odibi_sql.compile.file_tables import FileTables, SourceFileError, file_readers
from odibi_sql.compile.parallel import map_forked
from odibi_sql.compile.parse import SQLParseError, nested_too_deeply, parse_query
from odibi_sql.compile.qualify import ColumnTypes, QualifiedQuery, qualify_query
from odibi_sql.compile.relations import (
    add_watermark_filter,
    ephemeral_cte_name,
    prepend_ctes,
    relation_table,
    resolve_placeholders,
    watermark,
)
from odibi_sql.compile.source_snapshot import offline_columns, read_snapshot
from odibi_sql.compile.sources import (
    CatalogReader,
    SourceError,
    attached_table,
    declared_types,
    keeps_rejected_rows,
    source_query,
)
from odibi_sql.diagnostics import Diagnostic, DiagnosticCollector, Location, Severity, did_you_mean
from odibi_sql.dialect import capabilities, to_sql
from odibi_sql.graph.dag import DAG, CycleError
from odibi_sql.graph.selection import flat_config
from odibi_sql.project.loader import NodeDef, Project
from odibi_sql.project.node_spec import Materialized, WriteMode
from odibi_sql.render.context import SOURCE_PREFIX, RenderedSQL, RenderError, render_sql
from odibi_sql.render.environment import MacroError, build_environment
from odibi_sql.render.settings import SettingRenderer, project_request, render_setting
from odibi_sql.transforms.base import aliased

log = logging.getLogger("odibi_sql.compile")
"""Warnings that do not stop the compile (a documented column the query does not produce)."""


@dataclass
class CompiledNode:
    """A node ready to plan: canonical ASTs, columns with types, SQL per dialect.

    Across a process boundary the ASTs travel pickled with their type annotations and are loaded
    on first use (``query``, ``incremental_query``): most commands never look at most of them.
    Parsing the canonical SQL again would lose the types the compiler inferred, which a dialect's
    lowering depends on (the SQL executed would differ from the SQL compiled).
    """

    definition: NodeDef
    materialized: Materialized
    relation: tuple[str, str]
    depends_on: tuple[str, ...]
    columns: ColumnTypes
    query_tree: exp.Query | bytes
    incremental_tree: exp.Query | bytes | None
    checksum: str
    read_dialect: str = "duckdb"
    sql: dict[str, str] = field(default_factory=dict)
    incremental_sql: dict[str, str] = field(default_factory=dict)
    schema_relations: dict[tuple[str, str], ColumnTypes] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict)
    """Results of the ``derive`` analyses passed to ``compile_project``, by name."""

    @property
    def query(self) -> exp.Query:
        if isinstance(self.query_tree, bytes):
            self.query_tree = pickle.loads(self.query_tree)
        return self.query_tree

    @property
    def incremental_query(self) -> exp.Query | None:
        if isinstance(self.incremental_tree, bytes):
            self.incremental_tree = pickle.loads(self.incremental_tree)
        return self.incremental_tree

    def __getstate__(self) -> dict:
        """Cross-process form: ASTs pickled on their own (loaded when first used), the definition
        by name (see ``attach``)."""
        state = dict(self.__dict__)
        state["definition"] = self.definition.name
        for key in ("query_tree", "incremental_tree"):
            if isinstance(state[key], exp.Expr):
                state[key] = pickle.dumps(state[key], protocol=pickle.HIGHEST_PROTOCOL)
        return state

    def attach(self, project: Project) -> CompiledNode:
        """Undo ``__getstate__`` after crossing a process boundary."""
        if isinstance(self.definition, str):
            self.definition = project.nodes[self.definition]
        return self

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def compiled_checksum(self) -> str:
        """sha256 of the compiled SQL of every rendered dialect: what logic drift compares."""
        return hashlib.sha256("\n".join(self.sql[d] for d in sorted(self.sql)).encode()).hexdigest()

    @property
    def write_mode(self) -> WriteMode:
        return write_mode(self.definition, self.materialized)

    def table(self, alias: str | None = None) -> exp.Table:
        return relation_table(*self.relation, alias=alias)


NodeAnalysis = Callable[[CompiledNode, Mapping[str, CompiledNode]], Any]
"""Work on one node right after it compiles, in the process that compiled it (where its AST is at
hand): ``(node, the nodes compiled so far, its ancestors among them) -> a picklable result``."""


@dataclass
class CompiledProject:
    project: Project
    dag: DAG
    nodes: dict[str, CompiledNode]
    dialects: tuple[str, ...]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every problem found; only filled in when compiled with ``tolerant=True`` (else they raise)."""
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What later stages work out from the whole project once per command (by key)."""


@dataclass(frozen=True)
class ProjectGraph:
    """The DAG plus each model's first render (which found its refs)."""

    dag: DAG
    renders: dict[str, RenderedSQL | None]
    diagnostics: tuple[Diagnostic, ...] = ()
    broken: frozenset[str] = frozenset()
    """With ``tolerant=True``: nodes that failed to render or sit on a cycle (not compiled)."""


def build_graph(project: Project, tolerant: bool = False) -> ProjectGraph:
    """Render every model once to find its refs, and build the DAG (errors collected).

    ``tolerant``: return the problems in ``diagnostics`` instead of raising; cycles are cut.
    """
    return _Compiler(project, (), tolerant).graph()


def compile_project(
    project: Project,
    dialects: Iterable[str],
    only: Iterable[str] | None = None,
    graph: ProjectGraph | None = None,
    tolerant: bool = False,
    derive: Mapping[str, NodeAnalysis] | None = None,
    portable_for: Iterable[str] | None = None,
) -> CompiledProject:
    """Compile ``only`` these nodes and their ancestors (default: all), rendering each dialect.

    ``tolerant`` (lint): compile what can be compiled and return every problem in
    ``CompiledProject.diagnostics`` instead of raising ``ProjectError``.
    ``derive``: analyses run on each compiled node, kept in ``CompiledNode.derived`` by name.
    ``portable_for``: the dialects whose portability is checked (default: ``dialects``).
    """
    compiler = _Compiler(project, tuple(dialects), tolerant, derive or {})
    compiler.portable_for = portability.checked_dialects(dialects if portable_for is None else portable_for)
    return compiler.run(only, graph)


class _Compiler:
    def __init__(
        self,
        project: Project,
        dialects: tuple[str, ...],
        tolerant: bool = False,
        derive: Mapping[str, NodeAnalysis] | None = None,
    ):
        self.project = project
        self.dialects = dialects
        self.tolerant = tolerant
        self.derive = derive or {}
        self.portable_for: tuple[str, ...] = ()
        self.read_dialect = project.config.sql_dialect
        self.errors = DiagnosticCollector()
        self.compiled: dict[str, CompiledNode] = {}
        self.catalog = CatalogReader(project)
        self.file_tables = FileTables()
        self.snapshot = read_snapshot(project)
        try:
            self.env = build_environment(project.root, project.macro_files)
        except MacroError as exc:
            self.errors.extend([exc.diagnostic])
            self.errors.raise_if_errors()
        self.request = project_request(project)

    # -- stage 1: render and graph -------------------------------------------------------------
    def graph(self) -> ProjectGraph:
        renders: dict[str, RenderedSQL | None] = {}
        edges: dict[str, list[str]] = {}
        for name, node in self.project.nodes.items():
            renders[name] = self._render(node, node.sql_text, node.sql_location)
            deps = list(node.spec.inputs)
            for i, dep in enumerate(node.spec.inputs):
                if dep not in self.project.nodes:
                    self.errors.add(
                        f"inputs: there is no node named '{dep}'.{did_you_mean(dep, self.project.nodes)}",
                        node.locate("inputs", i),
                        node=name,
                        code="OD104",
                    )
            if renders[name] is not None:
                deps += renders[name].refs
            if node.spec.write.first_run_query:
                first = self._render(
                    node, node.spec.write.first_run_query, node.locate("write", "first_run_query")
                )
                if first is not None:
                    deps += first.refs
            edges[name] = [d for d in dict.fromkeys(deps) if d in self.project.nodes]
        broken = {d.node for d in self.errors.errors if d.node}
        while True:
            try:
                dag = DAG.build(edges)
                break
            except CycleError as exc:
                first = self.project.nodes[exc.path[0]]
                self.errors.add(
                    f"the nodes form a cycle: {' -> '.join(exc.path)}",
                    first.location,
                    node=exc.path[0],
                    hint="a node cannot depend on itself, directly or through others; remove one of these refs",
                    code="OD105",
                )
                if not self.tolerant:
                    dag = DAG.build({})
                    break
                broken.update(exc.path)  # cut the cycle; its nodes (and their consumers) are not compiled
                edges.update({n: [] for n in exc.path})
        if not self.tolerant:
            self.errors.raise_if_errors()
        return ProjectGraph(dag, renders, tuple(self.errors.diagnostics), frozenset(broken))

    def _render(
        self, node: NodeDef, template: str | None, origin: Location | None, incremental: bool = False
    ) -> RenderedSQL | None:
        if template is None:
            return None
        self.request.node = node.name
        self.request.incremental = incremental
        self.request.node_config = (
            flat_config(node, self.project.materialized(node.name)) if "config" in template else {}
        )
        try:
            return render_sql(self.env, template, origin or node.location, self.request)
        except RenderError as exc:
            self.errors.extend(exc.diagnostics)
            return None

    def _settings(self, node: NodeDef, incremental: bool = False) -> SettingRenderer:
        """Renders the SQL strings of ``node``'s settings with its Jinja context."""
        request = replace(self.request, node=node.name, incremental=incremental)
        return functools.partial(render_setting, self.env, request)

    # -- stage 2: compile in dependency order ---------------------------------------------------
    def run(self, only: Iterable[str] | None, graph: ProjectGraph | None) -> CompiledProject:
        if graph is None:
            graph = self.graph()
        else:
            self.errors.extend(graph.diagnostics)
        dag, renders = graph.dag, graph.renders
        wanted = set(dag.order) if only is None else {a for n in only for a in dag.ancestors(n)} | set(only)
        failed: set[str] = set(graph.broken)
        try:
            for depth, layer in enumerate(dag.layers(wanted)):
                ready = [n for n in layer if n not in failed and not dag.parents[n] & failed]
                failed.update(set(layer) - set(ready))
                if depth == 0:
                    self._prefetch_sources(ready)
                self.catalog.close()  # never fork with a live DuckDB connection
                self.file_tables.close()
                results = map_forked(ready, functools.partial(self._compile_one, dag=dag, renders=renders))
                for name, compiled, diagnostics in results:
                    self.errors.extend(diagnostics)
                    if compiled is None:
                        failed.add(name)
                    else:
                        self.compiled[name] = compiled.attach(self.project)
        finally:
            self.catalog.close()
            self.file_tables.close()
        if not self.tolerant:
            self.errors.raise_if_errors()
        return CompiledProject(self.project, dag, self.compiled, self.dialects, self.errors.diagnostics)

    def _prefetch_sources(self, names: list[str]) -> None:
        queries = []
        for name in names:
            node = self.project.nodes[name]
            if node.spec.read is not None:
                try:
                    queries.append(source_query(self.project, node))
                except SourceError:
                    continue  # reported when the node compiles
        self.catalog.prefetch(queries)

    def _compile_one(self, name: str, dag: DAG, renders: dict) -> tuple[str, CompiledNode | None, list]:
        """Compile one node without touching shared state: (name, result or None, diagnostics)."""
        outer, self.errors = self.errors, DiagnosticCollector()
        try:
            node = self.project.nodes[name]
            self.errors.extend(validate_steps(node, self._settings(node)))
            try:
                compiled = None if self.errors.diagnostics else self._compile_node(node, dag, renders[name])
            except RecursionError:  # nesting that parentheses do not show (a + a + ... , CASE in CASE)
                compiled = None
                self.errors.extend([nested_too_deeply(name, node.sql_location or node.location)])
            failed = [d for d in self.errors.errors if d.code not in portability.CODES]
            return name, (None if failed else compiled), list(dict.fromkeys(self.errors.diagnostics))
        finally:
            self.errors = outer

    def _compile_node(self, node: NodeDef, dag: DAG, rendered: RenderedSQL | None) -> CompiledNode | None:
        materialized = self.project.materialized(node.name)
        relation = node_relation(node)
        this = relation_table(*relation)
        deps = tuple(sorted(dag.parents[node.name]))
        relations: dict[tuple[str, str], ColumnTypes] = {}
        for dep in deps:
            relations.update(self.compiled[dep].schema_relations)
            if self.compiled[dep].materialized is not Materialized.EPHEMERAL:
                relations[self.compiled[dep].relation] = self.compiled[dep].columns
        if node.spec.read is not None:
            full = self._compile_source(node)
            if full is None:
                return None
            incremental = None
        else:
            full = self._compile_model(node, rendered, deps, relations, this, incremental=False)
            incremental = None
            if materialized is Materialized.INCREMENTAL and full is not None:
                own = {**relations, relation: full.columns}  # the watermark reads the node's own target
                incremental = self._compile_model(node, rendered, deps, own, this, incremental=True)
            if full is None or (materialized is Materialized.INCREMENTAL and incremental is None):
                return None
            contract = contract_problems(node, full.columns, self.read_dialect)
            for problem in contract:
                if problem.severity is Severity.WARNING:
                    log.warning("%s", problem.format())
            self.errors.extend([p for p in contract if p.severity is Severity.ERROR])
            if any(p.severity is Severity.ERROR for p in contract):
                return None
        compiled = CompiledNode(
            definition=node,
            materialized=materialized,
            relation=relation,
            depends_on=deps,
            columns=full.columns,
            query_tree=full.query,
            incremental_tree=incremental.query if incremental else None,
            checksum=node.checksum,
            read_dialect=self.read_dialect,
            schema_relations=relations if materialized is Materialized.EPHEMERAL else {},
        )
        for dialect in self.dialects:
            compiled.sql[dialect] = dialect_sql(compiled, full.query, dialect, self.file_tables)
            if incremental is not None:
                compiled.incremental_sql[dialect] = dialect_sql(
                    compiled, incremental.query, dialect, self.file_tables
                )
        for key, analysis in self.derive.items():
            compiled.derived[key] = analysis(compiled, self.compiled)
        return compiled

    def _compile_source(self, node: NodeDef) -> QualifiedQuery | None:
        declared = declared_types(node)
        try:
            query = source_query(self.project, node)
            found = self.catalog.columns(query, node.name, node.locate("read"))
        except SourceError as exc:
            every_typed = len(declared) == len(node.spec.columns)
            found = offline_columns(node.name, declared if every_typed else {}, self.snapshot)
            if found is None or node.resource_type == "seed":
                self.errors.extend([exc.diagnostic])
                return None
        for column in node.spec.columns:
            if column not in found:
                self.errors.add(
                    f"declared column '{column}' is not in the source.{did_you_mean(column, found)}",
                    node.locate("columns", column),
                    node=node.name,
                    hint=f"the source has: {', '.join(found)}",
                )
                return None
        casts = {c: (t, self.read_dialect) for c, t in declared.items()}
        if self.project.materialized(node.name) is Materialized.EPHEMERAL:
            # an ephemeral source is inlined as a CTE: its readers see the columns' types in the casts
            casts = {**{c: (t, "duckdb") for c, t in found.items() if t}, **casts}
        if casts:
            query = exp.select(
                *(
                    exp.cast(exp.column(c, quoted=True), casts[c][0], dialect=casts[c][1]).as_(c, quoted=True)
                    if c in casts
                    else exp.column(c, quoted=True)
                    for c in found
                )
            ).from_(query.args["from_"].this)
        columns = {c: declared.get(c, t) for c, t in found.items()}
        return QualifiedQuery(query, columns, [])

    def _compile_model(
        self,
        node: NodeDef,
        rendered: RenderedSQL | None,
        deps: tuple[str, ...],
        relations: dict,
        this: exp.Table,
        incremental: bool,
    ) -> QualifiedQuery | None:
        write = node.spec.write
        if not incremental and write.first_run_query:
            rendered = self._render(node, write.first_run_query, node.locate("write", "first_run_query"))
        elif incremental and rendered is not None and "is_incremental" in rendered.template:
            rendered = self._render(node, rendered.template, rendered.origin, incremental=True)
        if rendered is None and node.sql_text is not None:
            return None  # render errors already collected
        hwm = watermark(this, write.hwm_column) if incremental and write.hwm_column else None
        if incremental and hwm is None and rendered is not None and rendered.uses_hwm:
            self.errors.add(
                "the SQL uses {{ hwm }} but write.hwm_column is not set",
                node.locate("write"),
                node=node.name,
                hint="set write.hwm_column to the column that grows with new data (e.g. updated_at)",
            )
            return None
        try:
            if rendered is not None:
                base = parse_query(rendered, self.read_dialect, node.name)
            else:
                base = exp.select(exp.Star()).from_(exp.table_(f"__odibi_ref__{node.spec.inputs[0]}"))
        except SQLParseError as exc:
            self.errors.extend([exc.diagnostic])
            return None
        base = resolve_placeholders(
            base,
            lambda ref: self._relation_of(ref),
            this,
            hwm,
            lambda connection, table, alias: self._database_source(node, connection, table, alias, relations),
        )
        base = prepend_ctes(base, self._ephemeral_ctes(deps))
        checked = qualify_query(base, relations, self.read_dialect)
        if checked.problems:
            for p in checked.problems:
                self.errors.add(
                    p.message,
                    _problem_location(rendered, node, p),
                    node=node.name,
                    hint=p.hint,
                    snippet=_problem_snippet(rendered, p),
                    code=p.code,
                )
            return None
        query: exp.Query = checked.query
        if node.spec.transform:
            try:
                query = apply_steps(
                    node,
                    query,
                    checked.columns,
                    relations,
                    self.read_dialect,
                    self._ref_for_step,
                    self._settings(node, incremental),
                )
            except ChainError as exc:
                self.errors.extend(exc.diagnostics)
                return None
        if incremental and hwm is not None and not (rendered is not None and rendered.uses_hwm):
            query = add_watermark_filter(query, write.hwm_column, hwm)
        if node.spec.transform or incremental:
            checked = qualify_query(query, relations, self.read_dialect)
            if checked.problems:
                for p in checked.problems:
                    self.errors.add(p.message, node.location, node=node.name, hint=p.hint, code=p.code)
                return None
        if self.portable_for:
            self.errors.extend(portability.diagnostics(node, rendered, checked.query, self.portable_for))
        _attach_sources(checked.query)
        _drop_parse_metadata(checked.query)
        return checked

    def _database_source(
        self, node: NodeDef, connection: str, table: str, alias: str, relations: dict
    ) -> exp.Expression:
        """``source('<duckdb connection>', '[schema.]table')``: a stand-in two-part table whose
        columns (read from the database) join ``relations``, so the query qualifies like any other;
        ``_attach_sources`` puts the real table back afterwards."""
        schema, _, name = table.rpartition(".")
        try:
            found = self.catalog.columns(
                exp.select(exp.Star()).from_(attached_table(connection, table)), node.name, node.location
            )
        except SourceError as exc:
            self.errors.extend([exc.diagnostic])
            found = {}
        stand_in = f"{SOURCE_PREFIX}{connection}__{schema or 'main'}"
        relations[(stand_in, name)] = found
        return exp.table_(name, db=stand_in, quoted=True, alias=exp.to_identifier(alias, quoted=True))

    def _relation_of(self, ref: str) -> exp.Table:
        upstream = self.compiled[ref]
        if upstream.materialized is Materialized.EPHEMERAL:
            return exp.table_(ephemeral_cte_name(ref), quoted=True)
        return upstream.table()

    def _ref_for_step(self, ref: str) -> tuple[exp.Table, ColumnTypes]:
        from odibi_sql.transforms.base import TransformError

        if ref not in self.compiled:
            raise TransformError(
                f"there is no compiled node named '{ref}'.{did_you_mean(ref, self.compiled)}",
                hint="add it to the node's inputs",
            )
        return aliased(self._relation_of(ref), ref), self.compiled[ref].columns

    def _ephemeral_ctes(self, deps: Iterable[str]) -> dict[str, exp.Query]:
        ctes: dict[str, exp.Query] = {}
        for dep in deps:
            upstream = self.compiled[dep]
            if upstream.materialized is Materialized.EPHEMERAL:
                ctes[ephemeral_cte_name(dep)] = upstream.query
        return ctes


def write_mode(node: NodeDef, materialized: Materialized) -> WriteMode:
    """How the node writes: ``write.mode``, else merge/append for incremental nodes, else overwrite."""
    spec = node.spec.write
    if spec.mode:
        return spec.mode
    if materialized is Materialized.INCREMENTAL:
        return WriteMode.MERGE if spec.unique_key else WriteMode.APPEND
    return WriteMode.OVERWRITE


def node_relation(node: NodeDef) -> tuple[str, str]:
    """``(schema, table)`` the node's results live in."""
    table = node.spec.write.table
    if table:
        schema, _, name = table.rpartition(".")
        return (schema or node.pipeline, name)
    return (node.pipeline, node.name)


def dialect_sql(node: CompiledNode, query: exp.Query, dialect: str, tables: FileTables) -> str:
    """The SQL of ``query`` in ``dialect``; where the dialect has no file readers, the
    statements that run: each external table's CREATE and REFRESH, for a csv with a dead letter
    (on a dialect without reject tables) the stage of its rows as text, then the query."""
    caps = capabilities(dialect)
    if caps.supports_file_readers or not file_readers(query):
        return to_sql(query, dialect, pretty=True)
    statements: list[exp.Expression] = []
    readers = csv_text.csv_readers(query)
    try:
        if keeps_rejected_rows(node.definition) and readers and not caps.supports_reject_tables:
            stage = csv_text.parsed_stage(*node.relation)
            statements = tables.statements(csv_text.create_stage(stage, readers[0]))
            statements.append(csv_text.read_good_rows(query, stage, dict(node.columns)))
        else:
            statements = tables.statements(query)
    except SourceFileError as exc:
        note = f"-- the files' external tables are described when the node runs ({exc})"
        return f"{note}\n{to_sql(query, dialect, pretty=True)}"
    return ";\n".join(to_sql(s, dialect, pretty=True) for s in statements)


def _problem_location(rendered: RenderedSQL | None, node: NodeDef, problem) -> Location:
    if rendered is None or not problem.line:
        return node.location
    return rendered.locate(problem.line, _column(rendered.text, problem.start))


def _problem_snippet(rendered: RenderedSQL | None, problem) -> str | None:
    if rendered is None or not problem.line:
        return None
    return rendered.snippet(problem.line, _column(rendered.text, problem.start))


def _column(text: str, start: int | None) -> int:
    if start is None:
        return 0
    return start - (text.rfind("\n", 0, start) + 1) + 1


_PARSE_METADATA = ("line", "col", "start", "end", "query_type")


def _attach_sources(query: exp.Expression) -> None:
    """Swap the stand-ins of ``_database_source`` for the attached tables they stand for."""
    for table in list(query.find_all(exp.Table)):
        if table.db.startswith(SOURCE_PREFIX) and not table.catalog:
            connection, _, schema = table.db.removeprefix(SOURCE_PREFIX).partition("__")
            table.set("catalog", exp.to_identifier(connection, quoted=True))
            table.set("db", exp.to_identifier(schema, quoted=True))


def _drop_parse_metadata(query: exp.Expression) -> None:
    """Forget token positions and optimizer notes once a query is checked: diagnostics are done,
    and every copy made while rendering dialects would otherwise carry them along."""
    for node in query.walk():
        meta = node._meta
        if meta:
            for key in _PARSE_METADATA:
                meta.pop(key, None)
            if not meta:
                node._meta = None
