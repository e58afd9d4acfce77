"""Compile the ``tests:`` of compiled nodes into ``DataTest`` values: a predicate true for failing rows.

dbt semantics: a test fails when its query returns rows (``SELECT * FROM t WHERE <predicate>``).
The same predicate drives the count, the sample shown to the user and quarantine's move of exactly
the failing rows. Every problem (unknown test, unknown column, bad SQL) is collected and raised
together as one ``ProjectError`` (exit 2), with the file and line of the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.diagnostics import DiagnosticCollector, Location, did_you_mean
from odibi_sql.project.loader import PROJECT_FILE, NodeDef, Project
from odibi_sql.project.node_spec import Materialized
from odibi_sql.render.context import RenderError
from odibi_sql.render.environment import build_environment
from odibi_sql.render.settings import SettingRenderer, setting_renderer
from odibi_sql.testing.spec import (
    AcceptedValuesTest,
    ExpressionTest,
    InvalidTestSpec,
    NotNullTest,
    RelationshipsTest,
    Severity,
    TestSpec,
    UniqueTest,
    parse_test,
)

_SAMPLE_COLUMNS = 5


@dataclass(frozen=True)
class DataTest:
    """One compiled test of one node."""

    name: str
    node: str
    kind: str
    column: str | None
    severity: Severity
    quarantine: bool
    relation: exp.Table | exp.Subquery
    """The tested table, or a singular test's query."""
    predicate: exp.Expression
    """True for a failing row of ``relation`` (the test's ``where`` included)."""
    shown: tuple[str, ...]
    """Columns shown in a sample of failing rows."""
    location: Location
    reads: str | None = None
    """Another node the test reads (relationships)."""

    def failing_rows(self) -> exp.Select:
        return exp.select(exp.Star()).from_(self.relation.copy()).where(self.predicate.copy())

    def count_failures(self) -> exp.Select:
        return exp.select(exp.Count(this=exp.Star())).from_(self.relation.copy()).where(self.predicate.copy())

    def sample(self, limit: int = 3) -> exp.Select:
        query = (
            exp.select(*(exp.column(c, quoted=True) for c in self.shown))
            .from_(self.relation.copy())
            .where(self.predicate.copy())
        )
        return query.distinct().limit(limit)


def relationship_targets(project: Project, names: Iterable[str]) -> list[str]:
    """Nodes that relationships tests of ``names`` read (compiled with them, so their columns are known)."""
    out: list[str] = []
    for name in names:
        for spec in project.nodes[name].spec.columns.values():
            for raw in spec.tests:
                target = raw.get("relationships") if isinstance(raw, dict) else None
                if isinstance(target, dict) and target.get("to") in project.nodes:
                    out.append(target["to"])
    return list(dict.fromkeys(out))


def compile_tests(compiled: CompiledProject, names: Iterable[str]) -> dict[str, list[DataTest]]:
    """The tests of each of ``names``, in definition order; raises ``ProjectError`` listing every problem."""
    errors = DiagnosticCollector()
    tests: dict[str, list[DataTest]] = {}
    singular = _singular_tests(compiled)
    env = _LazyEnvironment(compiled.project)
    for name in names:
        node = compiled.nodes[name]
        builder = _NodeTests(compiled, node, errors, env)
        for column, spec in node.definition.spec.columns.items():
            for i, raw in enumerate(spec.tests):
                builder.add(raw, column, _where(node.definition, "columns", column, "tests", i))
        for i, raw in enumerate(node.definition.spec.tests):
            builder.add(raw, None, _where(node.definition, "tests", i))
        for test in singular.get(name, []):
            builder.add_singular(compiled.nodes[test])
        tests[name] = builder.tests
    errors.raise_if_errors()
    return tests


def _singular_tests(compiled: CompiledProject) -> dict[str, list[str]]:
    """Singular tests (nodes of resource type ``test``: a query returning failing rows) by the node
    they run after: the last built, in DAG order, of the tables they read."""
    order = {name: i for i, name in enumerate(compiled.dag.order)}
    out: dict[str, list[str]] = {}
    for name, node in compiled.nodes.items():
        if node.definition.resource_type != "test":
            continue
        built = [
            a
            for a in compiled.dag.ancestors(name)
            if a in compiled.nodes and compiled.nodes[a].materialized is not Materialized.EPHEMERAL
        ]
        if built:
            out.setdefault(max(built, key=order.__getitem__), []).append(name)
    return out


_NUMERIC = re.compile(r"^(TINY|SMALL|BIG|HUGE|U)?INT|^INTEGER|^DOUBLE|^FLOAT|^REAL|^DECIMAL|^NUMERIC", re.I)


def _check_value_types(values: list, column: str, column_type: str | None) -> None:
    """accepted_values of a numeric or boolean column are numbers or booleans (a word would fail
    the test's query at run time, after the node was built)."""
    kind = str(column_type or "").upper()
    numeric, boolean = bool(_NUMERIC.match(kind)), kind.startswith("BOOL")
    for value in values:
        if numeric and isinstance(value, str) and not _is_number(value):
            wrong = "a number"
        elif boolean and not isinstance(value, bool):
            wrong = "true or false"
        else:
            continue
        raise InvalidTestSpec(
            f"accepted_values: {value!r} cannot be a value of {column} ({kind}): expected {wrong}",
            "list values of the column's type, or cast the column in the node's SQL",
        )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _where(node: NodeDef, *path: str | int) -> Location:
    if node.resource_type == "seed" and node.doc is None:
        return Location(PROJECT_FILE)  # seeds' columns are declared under seeds: in the project file
    return node.locate(*path)


class _LazyEnvironment:
    """The project's Jinja environment, built the first time a test's SQL holds Jinja."""

    def __init__(self, project: Project):
        self.project, self.env = project, None

    def renderer(self, node: str) -> SettingRenderer:
        if self.env is None:
            self.env = build_environment(self.project.root, self.project.macro_files)
        return setting_renderer(self.project, node, self.env)


class _NodeTests:
    def __init__(
        self,
        compiled: CompiledProject,
        node: CompiledNode,
        errors: DiagnosticCollector,
        env: _LazyEnvironment,
    ):
        self.compiled, self.node, self.errors, self.env = compiled, node, errors, env
        self.columns = {c.lower(): c for c in node.columns}
        self.dialect = compiled.project.config.sql_dialect
        self.tests: list[DataTest] = []
        self.location = Location(PROJECT_FILE)

    def add(self, raw: str | dict, column: str | None, location: Location) -> None:
        self.location = location
        try:
            spec = parse_test(raw, on_column=column is not None)
            if column is not None:
                column = self._column(column, "tests")
            test = self._compile(spec, column, location)
        except InvalidTestSpec as exc:
            self.errors.add(exc.message, location, node=self.node.name, hint=exc.hint)
            return
        except RenderError as exc:
            self.errors.extend(exc.diagnostics)
            return
        self.tests.append(test)

    def add_singular(self, test: CompiledNode) -> None:
        """A singular test: every row its query returns is a failure."""
        definition = test.definition
        self.tests.append(
            DataTest(
                name=self._name(test.name),
                node=self.node.name,
                kind="singular",
                column=None,
                severity=Severity(definition.spec.meta.get("severity", "error")),
                quarantine=False,
                relation=test.query.subquery("failures"),
                predicate=exp.true(),
                shown=tuple(test.columns)[:_SAMPLE_COLUMNS],
                location=definition.sql_location or definition.location,
            )
        )

    def _compile(self, spec: TestSpec, column: str | None, location: Location) -> DataTest:
        if spec.quarantine and self.node.materialized not in (Materialized.TABLE, Materialized.INCREMENTAL):
            raise InvalidTestSpec(
                f"quarantine moves rows out of a table, but this node is a {self.node.materialized.value}",
                "materialize the node as a table or incremental, or remove quarantine",
            )
        relation = self.node.table()
        where = self._condition(spec.where, "where") if spec.where else None
        shown: tuple[str, ...] = (column,) if column else ()
        reads = None
        if isinstance(spec, NotNullTest):
            assert column
            fails: exp.Expression = exp.Is(this=_col(column), expression=exp.null())
            suffix = column
        elif isinstance(spec, AcceptedValuesTest):
            assert column
            _check_value_types(spec.values, column, self.node.columns.get(column))
            values = [exp.convert(v) for v in spec.values]
            fails = _not_null_and(column, exp.Not(this=exp.In(this=_col(column), expressions=values)))
            suffix = column
        elif isinstance(spec, UniqueTest):
            keys = [column] if column else [self._column(c, "unique") for c in spec.columns]
            fails = _duplicated(relation, keys, where)
            shown, suffix = tuple(keys), "__".join(keys)
        elif isinstance(spec, RelationshipsTest):
            assert column
            parent, field = self._parent(spec)
            present = (
                exp.select(_col(field))
                .from_(parent.table())
                .where(exp.Not(this=exp.Is(this=_col(field), expression=exp.null())))
            )
            fails = _not_null_and(column, exp.Not(this=exp.In(this=_col(column), query=present.subquery())))
            suffix, reads = f"{column}__{spec.to}_{field}", spec.to
        else:
            assert isinstance(spec, ExpressionTest)
            condition = self._condition(spec.expression, "expression")
            fails = exp.Not(this=exp.paren(condition))
            used = [self.columns[c.name.lower()] for c in condition.find_all(exp.Column)]
            if not column:
                shown = tuple(dict.fromkeys(used) or self.node.columns)[:_SAMPLE_COLUMNS]
            suffix = column or _slug(spec.expression)
        predicate = exp.and_(exp.paren(where), exp.paren(fails)) if where is not None else fails
        return DataTest(
            name=self._name(spec.name or f"{spec.test}_{self.node.name}_{suffix}"),
            node=self.node.name,
            kind=spec.test,
            column=column,
            severity=spec.severity,
            quarantine=spec.quarantine,
            relation=relation,
            predicate=predicate,
            shown=shown,
            location=location,
            reads=reads,
        )

    def _column(self, name: str, what: str) -> str:
        found = self.columns.get(name.lower())
        if found is None:
            raise InvalidTestSpec(
                f"{what}: column '{name}' does not exist in node {self.node.name}."
                + did_you_mean(name, self.node.columns),
                f"the node's columns: {', '.join(self.node.columns)}",
            )
        return found

    def _condition(self, text: str, what: str) -> exp.Expression:
        """``text`` (rendered with the node's Jinja context) parsed as a condition on its columns."""
        if "{" in text:
            text = self.env.renderer(self.node.name)(text, self.location, what)
        try:
            condition = sqlglot.parse_one(text, read=self.dialect)
        except sqlglot.errors.ParseError as exc:
            raise InvalidTestSpec(
                f"{what} is not valid SQL: {str(exc).splitlines()[0]}", "write a condition, e.g. amount >= 0"
            ) from None
        if isinstance(condition, exp.Query | exp.Command | exp.DDL | exp.DML):
            raise InvalidTestSpec(f"{what} must be a condition, not a statement", "e.g. amount >= 0")
        if not condition.find(exp.Query):
            for col in condition.find_all(exp.Column):
                self._column(col.name, what)
        return condition

    def _parent(self, spec: RelationshipsTest) -> tuple[CompiledNode, str]:
        parent = self.compiled.nodes.get(spec.to)
        if parent is None:
            raise InvalidTestSpec(
                f"relationships: there is no node named '{spec.to}'."
                + did_you_mean(spec.to, self.compiled.project.nodes)
            )
        if parent.materialized is Materialized.EPHEMERAL:
            raise InvalidTestSpec(
                f"relationships: node '{spec.to}' is ephemeral and has no table to compare with",
                "materialize it as a view or table",
            )
        fields = {c.lower(): c for c in parent.columns}
        if spec.field.lower() not in fields:
            raise InvalidTestSpec(
                f"relationships: column '{spec.field}' does not exist in node {spec.to}."
                + did_you_mean(spec.field, parent.columns),
                f"the node's columns: {', '.join(parent.columns)}",
            )
        return parent, fields[spec.field.lower()]

    def _name(self, base: str) -> str:
        taken = {t.name for t in self.tests}
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        return name


def _col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def _not_null_and(column: str, condition: exp.Expression) -> exp.Expression:
    """NULLs pass accepted_values and relationships (as in dbt): test them with not_null."""
    return exp.and_(exp.Not(this=exp.Is(this=_col(column), expression=exp.null())), condition)


def _duplicated(relation: exp.Table, keys: list[str], where: exp.Expression | None) -> exp.Expression:
    """The row's key occurs more than once (rows with a NULL key are not compared)."""
    duplicates = (
        exp.select(*(_col(k) for k in keys))
        .from_(relation.copy())
        .group_by(*(_col(k) for k in keys))
        .having(exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1)))
    )
    if where is not None:
        duplicates = duplicates.where(where.copy())
    lhs: exp.Expression = _col(keys[0]) if len(keys) == 1 else exp.Tuple(expressions=[_col(k) for k in keys])
    return exp.In(this=lhs, query=duplicates.subquery())


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug[:limit].rstrip("_") or "expression"
