"""One hop: trace each output column of one node's qualified query to the relations it reads.

Works on the compiled, already-qualified AST (no re-qualification): sqlglot's scope tree is built
once per query and every (scope, column) is traced once, so a node costs one walk of its AST.
Traces go through CTEs (the transform steps are CTEs named after the steps), derived tables,
unions, scalar subqueries and UNNEST; they stop at tables (other nodes' relations, or relations
outside the project) and at ``ephemeral__<node>`` CTEs, which stand for the ephemeral node.

Each input column gets OpenLineage transformation types: DIRECT (IDENTITY, TRANSFORMATION,
AGGREGATION) for values that flow into the output, INDIRECT for columns that only influence it.
WINDOW (partition/order) and CONDITIONAL (CASE/IF conditions) are per column; JOIN, FILTER,
GROUP_BY and SORT change which rows exist, so they are recorded once per node (``dataset``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, build_scope, find_all_in_scope

from odibi_sql.lineage.graph import (
    DIRECT_SUBTYPES,
    IDENTITY,
    ColumnRef,
    Inputs,
    LineageIssue,
    Subtype,
    Transformation,
)

TableResolver = Callable[[exp.Table], tuple[str | None, str] | None]
"""``(node or None, relation)`` a table reads, or None when it is not a relation (a CTE)."""

_MASKING = (exp.MD5, exp.SHA, exp.SHA2, exp.MD5Digest, exp.SHA1Digest, exp.SHA2Digest, exp.StandardHash)
_NAVIGATION = (exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.NthValue)
"""Window functions that fetch another row's value as is: a transformation, not an aggregation."""
_ROW_CLAUSES = (
    ("where", Subtype.FILTER),
    ("having", Subtype.FILTER),
    ("qualify", Subtype.FILTER),
    ("group", Subtype.GROUP_BY),
    ("order", Subtype.SORT),
)
_STRENGTH = {subtype: i for i, subtype in enumerate(DIRECT_SUBTYPES)}
FIX_STAR = (
    "declare the columns of the relation the star reads (a node with `columns:`, or read it "
    "through a `read:` node), or list the columns instead of *"
)


def compose(role: Transformation, inputs: Inputs) -> Inputs:
    """Inputs of a column seen through one more step that uses it as ``role``."""
    if not role.is_direct:
        only = frozenset({Transformation(role.subtype)})
        return dict.fromkeys(inputs, only)
    out: Inputs = {}
    for ref, kinds in inputs.items():
        out[ref] = frozenset(_chain(role, kind) for kind in kinds)
    return out


def merge(into: Inputs, inputs: Inputs) -> None:
    for ref, kinds in inputs.items():
        known = into.get(ref)
        into[ref] = kinds if known is None else known | kinds


@functools.cache
def _chain(outer: Transformation, inner: Transformation) -> Transformation:
    if not inner.is_direct:
        return inner
    strongest = max(outer.subtype, inner.subtype, key=_STRENGTH.__getitem__)
    return Transformation(strongest, outer.masking or inner.masking)


class HopTracer:
    """Traces the output columns of one qualified query."""

    def __init__(
        self, query: exp.Query, resolve_table: TableResolver, ephemerals: dict[str, tuple[str, str]]
    ):
        """``ephemerals``: ``{cte name: (node, relation)}`` of the ephemeral nodes the query inlines."""
        self.root = build_scope(query)
        self.resolve_table = resolve_table
        self.ephemerals = ephemerals
        self.issues: list[LineageIssue] = []
        self._columns: dict[tuple[int, str], Inputs] = {}
        self._datasets: dict[int, Inputs] = {}
        self._subquery_scopes: dict[int, dict[int, Scope]] = {}
        self._current: str | None = None

    def output(self, column: str) -> Inputs:
        self._current = column
        return self.column_inputs(self.root, column) if self.root else {}

    def dataset(self) -> Inputs:
        self._current = None
        return self.dataset_inputs(self.root) if self.root else {}

    # -- columns -----------------------------------------------------------------------------
    def column_inputs(self, scope: Scope, name: str) -> Inputs:
        key = (id(scope), name)
        cached = self._columns.get(key)
        if cached is None:
            self._columns[key] = {}  # a self-reference (recursive CTE) stops here
            cached = self._columns[key] = self._trace_column(scope, name)
        return cached

    def _trace_column(self, scope: Scope, name: str) -> Inputs:
        expression = scope.expression
        if isinstance(expression, exp.SetOperation):
            names = expression.named_selects
            if name not in names:
                return self._untraceable(name)
            return self._column_at(scope, names.index(name))
        if not isinstance(expression, exp.Select):  # UNNEST and other table functions
            inputs: Inputs = {}
            for column in find_all_in_scope(expression, exp.Column):
                merge(inputs, compose(Transformation(Subtype.TRANSFORMATION), self._resolve(scope, column)))
            return inputs
        projection = next((s for s in expression.selects if s.alias_or_name == name), None)
        if projection is None:
            return self._untraceable(name)
        return self.expression_inputs(scope, projection)

    def _column_at(self, scope: Scope, index: int) -> Inputs:
        inputs: Inputs = {}
        for branch in scope.set_operation_scopes:
            if isinstance(branch.expression, exp.SetOperation):
                merge(inputs, self._column_at(branch, index))
                continue
            selects = branch.expression.selects
            if index < len(selects):
                merge(inputs, self.column_inputs(branch, selects[index].alias_or_name))
        return inputs

    def expression_inputs(self, scope: Scope, projection: exp.Expression) -> Inputs:
        """Inputs of one projection of a SELECT scope."""
        inputs: Inputs = {}
        whole = projection.unalias()
        if isinstance(projection, exp.Star) or isinstance(whole, exp.Star):
            self._issue(
                "SELECT * over a relation whose columns are unknown: its lineage cannot be traced", FIX_STAR
            )
            return inputs
        identity = isinstance(whole, exp.Column | exp.Subquery)
        for found in find_all_in_scope(projection, exp.Column, exp.Select, exp.SetOperation):
            if isinstance(found, exp.Column):
                upstream = self._resolve(scope, found)
            else:
                subquery = self._subqueries(scope).get(id(found))
                if subquery is None:
                    continue
                upstream = self.query_inputs(subquery)
            merge(inputs, compose(_role(found, projection, identity), upstream))
        return inputs

    def _subqueries(self, scope: Scope) -> dict[int, Scope]:
        found = self._subquery_scopes.get(id(scope))
        if found is None:
            found = self._subquery_scopes[id(scope)] = {id(s.expression): s for s in scope.subquery_scopes}
        return found

    def query_inputs(self, scope: Scope) -> Inputs:
        """Everything a (sub)query's result depends on: its columns and its rows."""
        inputs: Inputs = {}
        for name in scope.expression.named_selects:
            merge(inputs, self.column_inputs(scope, name))
        merge(inputs, self.dataset_inputs(scope))
        return inputs

    def _resolve(self, scope: Scope, column: exp.Column) -> Inputs:
        """Inputs of ``column`` as read from its relation (before the step that uses it)."""
        table = column.table
        current: Scope | None = scope
        while current is not None:
            selected = current.selected_sources.get(table)
            if selected is not None:
                node, source = selected
                break
            if table in current.sources:
                node, source = None, current.sources[table]
                break
            current = current.parent
        else:
            if not table and self._is_output_alias(scope, column.name):
                return self.column_inputs(scope, column.name)
            return self._untraceable(column.sql())
        if isinstance(node, exp.Table) and node.name in self.ephemerals and not node.db:
            ephemeral, relation = self.ephemerals[node.name]
            return {ColumnRef(ephemeral, relation, column.name): frozenset({IDENTITY})}
        if isinstance(source, Scope):
            return self.column_inputs(source, column.name)
        if isinstance(source, exp.Table):
            resolved = self.resolve_table(source)
            if resolved is not None:
                return {ColumnRef(resolved[0], resolved[1], column.name): frozenset({IDENTITY})}
        return self._untraceable(column.sql())

    @staticmethod
    def _is_output_alias(scope: Scope, name: str) -> bool:
        return name in scope.expression.named_selects

    # -- rows --------------------------------------------------------------------------------
    def dataset_inputs(self, scope: Scope) -> Inputs:
        cached = self._datasets.get(id(scope))
        if cached is None:
            self._datasets[id(scope)] = {}
            cached = self._datasets[id(scope)] = self._trace_rows(scope)
        return cached

    def _trace_rows(self, scope: Scope) -> Inputs:
        expression = scope.expression
        inputs: Inputs = {}
        if isinstance(expression, exp.SetOperation):
            for branch in scope.set_operation_scopes:
                merge(inputs, self.dataset_inputs(branch))
            self._clause_inputs(scope, expression.args.get("order"), Subtype.SORT, inputs)
            return inputs
        if not isinstance(expression, exp.Select):
            return inputs
        for join in expression.args.get("joins") or ():
            self._clause_inputs(scope, join.args.get("on"), Subtype.JOIN, inputs)
        for arg, subtype in _ROW_CLAUSES:
            self._clause_inputs(scope, expression.args.get(arg), subtype, inputs)
        distinct = expression.args.get("distinct")
        if distinct is not None:
            self._clause_inputs(scope, distinct.args.get("on"), Subtype.GROUP_BY, inputs)
        for node, source in scope.selected_sources.values():
            if isinstance(node, exp.Table) and node.name in self.ephemerals and not node.db:
                continue  # the ephemeral node's own rows are in its own lineage
            if isinstance(source, Scope):
                merge(inputs, self.dataset_inputs(source))
        return inputs

    def _clause_inputs(
        self, scope: Scope, clause: exp.Expression | None, subtype: Subtype, into: Inputs
    ) -> None:
        if clause is None:
            return
        role = Transformation(subtype)
        for column in find_all_in_scope(clause, exp.Column):
            merge(into, compose(role, self._resolve(scope, column)))
        for query in find_all_in_scope(clause, exp.Select, exp.SetOperation):
            subquery = self._subqueries(scope).get(id(query))
            if subquery is not None:
                merge(into, compose(role, self.query_inputs(subquery)))

    # -- problems ----------------------------------------------------------------------------
    def _untraceable(self, what: str) -> Inputs:
        self._issue(
            f"could not trace {what}: its source is not a known relation",
            "qualify the column with its table, or declare the columns of the relation it reads",
        )
        return {}

    def _issue(self, message: str, hint: str) -> None:
        issue = LineageIssue(message, hint, self._current)
        if issue not in self.issues:
            self.issues.append(issue)


def _role(node: exp.Expression, projection: exp.Expression, identity: bool) -> Transformation:
    """How ``node`` (a column or subquery inside ``projection``) reaches the projection's value."""
    aggregated = masking = False
    child, parent = node, node.parent
    while child is not projection and parent is not None:
        key = child.arg_key
        if isinstance(parent, exp.Window):
            if key != "this":
                return Transformation(Subtype.WINDOW)
        elif isinstance(parent, exp.If | exp.Case) and key == "this":
            return Transformation(Subtype.CONDITIONAL)
        elif isinstance(parent, exp.Filter) and key == "expression":
            return Transformation(Subtype.FILTER)
        elif isinstance(parent, exp.Order) and key == "expressions" and parent.arg_key != "order":
            return Transformation(Subtype.SORT)
        if isinstance(parent, exp.AggFunc) and not isinstance(parent, _NAVIGATION):
            aggregated = True
            masking = masking or isinstance(parent, exp.Count)
        masking = masking or isinstance(parent, _MASKING)
        child, parent = parent, parent.parent
    if aggregated:
        return Transformation(Subtype.AGGREGATION, masking)
    if identity:
        return IDENTITY
    return Transformation(Subtype.TRANSFORMATION, masking)
