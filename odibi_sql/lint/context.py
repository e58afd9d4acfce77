"""What rules see: each selected node (definition, user SQL as parsed, compiled result, binding
problems, compile diagnostics) and the project around it, plus how to point into the user's file."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.diagnostics import Diagnostic, Location
from odibi_sql.lint.binder import BindProblem
from odibi_sql.project.loader import NodeDef, Project
from odibi_sql.project.node_spec import Materialized
from odibi_sql.render.context import REF_PREFIX, RenderedSQL


@dataclass
class LintNode:
    """One selected node as the rules see it."""

    definition: NodeDef
    materialized: Materialized
    rendered: RenderedSQL | None
    compiled: CompiledNode | None
    read_dialect: str
    bind_problems: list[BindProblem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.definition.name

    @functools.cached_property
    def source(self) -> exp.Query | None:
        """The user's SQL as written (rendered, placeholders left in), with token positions."""
        return parse_source(self.rendered, self.read_dialect)

    @property
    def sql_location(self) -> Location:
        """Where the node's SQL starts (its YAML definition when it has none)."""
        return self.definition.sql_location or self.definition.location

    def locate(self, expression: exp.Expression | None) -> Location:
        """Where ``expression`` (a node of ``source``) is in the user's file, as closely as known."""
        if expression is None or self.rendered is None:
            return self.sql_location
        text = self.rendered.text.lower()
        starts = [c.meta["start"] for c in expression.walk() if c.meta.get("line") and "start" in c.meta]
        if starts and isinstance(expression, exp.Func) and "start" not in expression.meta:
            # functions built by sqlglot's parser carry no position: find the name before the arguments
            found = text.rfind(expression.sql_name().lower() + "(", 0, min(starts))
            if found >= 0:
                return self._at(found)
        if starts:
            return self._at(min(starts))
        found = text.find(expression.sql(dialect=self.read_dialect).lower())
        return self._at(found) if found >= 0 else self.sql_location

    def locate_name(self, name: str) -> Location:
        """The first function, column or table called ``name`` in the user's SQL."""
        if self.source is not None:
            lowered = name.lower()
            for candidate in self.source.walk():
                if isinstance(candidate, exp.Column | exp.Identifier) and candidate.name.lower() == lowered:
                    return self.locate(candidate)
                if isinstance(candidate, exp.Func) and _function_name(candidate) == lowered:
                    return self.locate(candidate)
        return self.sql_location

    def _at(self, start: int) -> Location:
        text = self.rendered.text
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        return self.rendered.locate(line, _template_column(self.rendered, line, col))


def _template_column(rendered: RenderedSQL, line: int, col: int) -> int:
    """Map a column of a rendered line back to its template line (``{{ ref('x') }}`` changed widths).

    A position inside a rendered expression maps to the start of its ``{{ ... }}``; 0 when the
    two texts do not line up.
    """
    template_lines, text_lines = rendered.template.splitlines(), rendered.text.splitlines()
    if len(template_lines) != len(text_lines) or not 1 <= line <= len(text_lines):
        return col
    source, output = template_lines[line - 1], text_lines[line - 1]
    if source == output:
        return col
    index = col - 1
    matcher = difflib.SequenceMatcher(a=source, b=output, autojunk=False)
    for tag, i1, _, j1, j2 in matcher.get_opcodes():
        if j1 <= index < j2:
            return i1 + (index - j1) + 1 if tag == "equal" else i1 + 1
    return col


def parse_source(rendered: RenderedSQL | None, dialect: str) -> exp.Query | None:
    """Parse rendered SQL as written; None when there is none or it does not parse."""
    if rendered is None:
        return None
    try:
        tree = sqlglot.parse_one(rendered.text, read=dialect)
    except SqlglotError:
        return None
    return tree if isinstance(tree, exp.Query) else None


def _function_name(function: exp.Func) -> str:
    if isinstance(function, exp.Anonymous):
        return str(function.this).lower()
    return function.sql_name().lower()


def ref_name(table: exp.Table) -> str | None:
    """The node a table of the user's SQL refers to through ``ref()``/``source()``, else None."""
    return table.name.removeprefix(REF_PREFIX) if table.name.startswith(REF_PREFIX) else None


@dataclass
class LintContext:
    """The project-wide facts rules may use."""

    project: Project
    compiled: CompiledProject
    nodes: dict[str, LintNode]
    """The selected nodes, by name."""
    dialects: tuple[str, ...]
    diagnostics: list[Diagnostic]
    """Problems the compiler found (parse errors, unknown columns, missing refs, cycles, ...)."""
    renders: dict[str, RenderedSQL | None]
    _sources: dict[str, exp.Query | None] = field(default_factory=dict)

    def source(self, name: str) -> exp.Query | None:
        """The user's SQL of any node (selected or not), parsed as written."""
        if name in self.nodes:
            return self.nodes[name].source
        if name not in self._sources:
            self._sources[name] = parse_source(self.renders.get(name), self.project.config.sql_dialect)
        return self._sources[name]

    def children(self, name: str) -> frozenset[str]:
        return self.compiled.dag.children.get(name, frozenset())
