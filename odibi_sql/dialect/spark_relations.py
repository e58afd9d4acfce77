"""Spark lowerings for query shapes: QUALIFY, UNNEST joins, DuckDB's short PIVOT / UNPIVOT."""

from __future__ import annotations

from sqlglot import exp, transforms

from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles, snippet


@handles(exp.Select, needs=(exp.Qualify,))
def eliminate_qualify_keeping_order(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """QUALIFY -> a filtered subquery, with DISTINCT, ORDER BY and LIMIT applied after the filter.

    DuckDB evaluates QUALIFY before DISTINCT, ORDER BY and LIMIT. sqlglot's Spark output wraps the
    query in a subquery but leaves those clauses inside it, so ``... QUALIFY rn <= 2 LIMIT 1``
    limits before filtering (wrong rows) and the ORDER BY is lost; and ``SELECT * ... QUALIFY``
    leaks its ``_w`` helper column. This runs sqlglot's rewrite on the query without those clauses,
    then puts them on the outer query (the helper columns removed with ``* EXCEPT``). When ORDER BY
    uses columns that are not in the output, the query is left alone and reported by ``unsupported``.
    """
    if not isinstance(node, exp.Select) or not node.args.get("qualify") or not _order_movable(node):
        return node
    moved = {key: node.args.get(key) for key in ("distinct", "order", "limit", "offset")}
    for key in moved:
        node.set(key, None)
    was_star = node.is_star
    inner_names = set(node.named_selects)
    outer = transforms.eliminate_qualify(node)
    if was_star and isinstance(outer, exp.Select):
        subquery = outer.args["from_"].this
        helpers = [name for name in subquery.this.named_selects if name not in inner_names]
        if helpers:
            outer.set("expressions", [exp.Star(except_=[exp.column(name) for name in helpers])])
    for key, value in moved.items():
        if value is not None:
            if key == "order":
                _unqualify_columns(value)
            outer.set(key, value)
    return outer


def _order_movable(select: exp.Select) -> bool:
    order = select.args.get("order")
    if order is None or select.is_star:
        return True
    names = set(select.named_selects)
    return all(column.name in names for column in order.find_all(exp.Column))


def _unqualify_columns(order: exp.Expr) -> None:
    for column in order.find_all(exp.Column):
        if column.table:
            column.replace(exp.column(column.args["this"]))


def _is_true_or_missing(condition: exp.Expr | None) -> bool:
    return condition is None or (isinstance(condition, exp.Boolean) and condition.this is True)


@handles(exp.Select, needs=(exp.Unnest,))
def lower_unnest_joins(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """Joins to UNNEST(list): keep LEFT JOIN's empty-list rows and WITH ORDINALITY's 1-based numbers.

    DuckDB's ``LEFT JOIN UNNEST(l) AS u(x) ON TRUE`` keeps rows whose list is empty or NULL (x is
    NULL); sqlglot renders ``LATERAL VIEW EXPLODE`` which drops them: it becomes
    ``LATERAL VIEW OUTER EXPLODE(l) u AS x``. ``UNNEST(l) WITH ORDINALITY AS u(x, n)`` numbers
    elements from 1; sqlglot's ``POSEXPLODE`` numbers from 0: it becomes a lateral subquery
    ``[LEFT] JOIN LATERAL (SELECT col AS x, pos + 1 AS n FROM POSEXPLODE(l)) AS u ON TRUE``.
    Inner joins without ordinality are left to sqlglot (``LATERAL VIEW EXPLODE``, same rows).
    """
    if not isinstance(node, exp.Select):
        return node
    for join in list(node.args.get("joins") or []):
        unnest = join.this
        if not isinstance(unnest, exp.Unnest) or len(unnest.expressions) != 1:
            continue
        alias = unnest.args.get("alias")
        columns = alias.columns if alias else []
        offset = unnest.args.get("offset")
        left = join.side == "LEFT"
        if len(columns) != 1 or not _is_true_or_missing(join.args.get("on")) or join.args.get("using"):
            continue
        if offset:
            join.replace(_ordinality_join(unnest.expressions[0], alias, offset, left))
        elif left:
            join.pop()
            node.append(
                "laterals",
                exp.Lateral(
                    this=exp.Explode(this=unnest.expressions[0]),
                    view=True,
                    outer=True,
                    alias=exp.TableAlias(this=alias.this.copy(), columns=[columns[0].copy()]),
                ),
            )
    return node


def _ordinality_join(values: exp.Expr, alias: exp.TableAlias, offset: exp.Expr, left: bool) -> exp.Join:
    ordinal = offset if isinstance(offset, exp.Identifier) else exp.to_identifier("ordinality")
    select = exp.select(
        exp.alias_(exp.column("col"), alias.columns[0].copy()),
        exp.alias_(exp.Add(this=exp.column("pos"), expression=exp.Literal.number(1)), ordinal.copy()),
    ).from_(exp.Table(this=exp.Posexplode(this=values)))
    lateral = exp.Lateral(this=exp.Subquery(this=select), alias=exp.TableAlias(this=alias.this.copy()))
    return exp.Join(this=lateral, side="LEFT" if left else None, on=exp.true())


def _in_list(expression: exp.Expr) -> exp.In | None:
    return expression if isinstance(expression, exp.In) and expression.expressions else None


@handles(exp.Pivot)
def lower_short_pivot(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """DuckDB's statement ``PIVOT t ON k IN (...) USING agg(v) [GROUP BY g]`` -> Spark's PIVOT clause.

    Spark has only ``SELECT * FROM t PIVOT (agg(v) FOR k IN (...))``, which groups by every other
    column of ``t``; with GROUP BY, the input is first narrowed to the grouping, pivot and
    aggregated columns. Only one ON column with an explicit IN list and one USING aggregate are
    rewritten (the output columns are then named alike); anything else is reported.
    """
    if not _is_short_pivot(node) or node.args.get("unpivot") or not _simple_pivot(node):
        return node
    field = node.expressions[0]
    aggregate = node.args["using"][0]
    source: exp.Expr = node.this
    group = node.args.get("group")
    if group is not None:
        wanted = [*group.expressions, field.this, *aggregate.find_all(exp.Column)]
        names: dict[str, exp.Expr] = {}
        for column in wanted:
            names.setdefault(column.name, column)
        narrowed = exp.select(*(exp.column(column.args["this"].copy()) for column in names.values()))
        source = exp.Subquery(
            this=narrowed.from_(source), alias=exp.TableAlias(this=exp.to_identifier("_pivot_input"))
        )
    pivot = exp.Pivot(expressions=[aggregate], fields=[field], unpivot=False)
    source.append("pivots", pivot)
    return exp.select(exp.Star()).from_(source)


@handles(exp.Pivot)
def lower_short_unpivot(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """DuckDB's statement ``UNPIVOT t ON a, b [INTO NAME k VALUE v]`` -> ``SELECT * FROM t UNPIVOT (v FOR k IN (a, b))``.

    DuckDB names the columns ``name`` and ``value`` when INTO is left out; both drop NULL values.
    ON lists with expressions or COLUMNS(...) are reported by ``unsupported``.
    """
    if not _is_short_pivot(node) or not node.args.get("unpivot") or not _simple_unpivot(node):
        return node
    into = node.args.get("into")
    name = into.this.name if into else "name"
    value = into.expressions[0].name if into else "value"
    pivot = exp.Pivot(
        expressions=[exp.to_identifier(value)],
        fields=[exp.In(this=exp.to_identifier(name), expressions=list(node.expressions))],
        unpivot=True,
    )
    source = node.this
    source.append("pivots", pivot)
    return exp.select(exp.Star()).from_(source)


def _is_short_pivot(node: exp.Expr) -> bool:
    """DuckDB's PIVOT / UNPIVOT statement (a Pivot node with its own source), not the SQL-standard clause."""
    return isinstance(node, exp.Pivot) and isinstance(node.this, exp.Expr)


def _simple_pivot(node: exp.Pivot) -> bool:
    using = node.args.get("using") or []
    return (
        len(node.expressions) == 1
        and _in_list(node.expressions[0]) is not None
        and len(using) == 1
        and not isinstance(using[0], exp.Alias)
        and isinstance(node.this, exp.Table)
    )


def _simple_unpivot(node: exp.Pivot) -> bool:
    into = node.args.get("into")
    plain = all(isinstance(column, exp.Column) for column in node.expressions)
    return plain and isinstance(node.this, exp.Table) and (into is None or len(into.expressions) == 1)


# -- checks -----------------------------------------------------------------------------------------


def check_relations(node: exp.Expr, caps: Capabilities) -> str | None:
    """Query shapes Spark cannot express."""
    if isinstance(node, exp.Select) and node.args.get("qualify") and not _order_movable(node):
        return (
            f"QUALIFY with an ORDER BY on columns that are not selected: Spark's rewrite cannot order "
            f"by them after filtering; select them or order by output columns ({snippet(node, 60)})"
        )
    if _is_short_pivot(node):
        simple = _simple_unpivot(node) if node.args.get("unpivot") else _simple_pivot(node)
        if not simple:
            kind = "UNPIVOT" if node.args.get("unpivot") else "PIVOT"
            return (
                f"{snippet(node)}: only DuckDB's {kind} with one ON column and an explicit IN list "
                "(PIVOT) or plain ON columns (UNPIVOT) can be written for Spark; list the values"
            )
    if isinstance(node, exp.Star) and node.args.get("replace"):
        return f"{snippet(node.parent or node)}: SELECT * REPLACE is not Spark SQL; list the columns instead"
    if isinstance(node, exp.Star) and node.args.get("rename"):
        return f"{snippet(node.parent or node)}: SELECT * RENAME is not Spark SQL; list the columns instead"
    if isinstance(node, exp.Join) and isinstance(node.this, exp.Unnest):
        alias = node.this.args.get("alias")
        if not alias or len(alias.columns) != 1 or len(node.this.expressions) != 1:
            return (
                f"{snippet(node)}: UNNEST in FROM needs exactly one list and an alias with one "
                "column name, e.g. UNNEST(l) AS u(x), to be written for Spark"
            )
    if isinstance(node, exp.Select):
        explodes = [e for e in node.expressions if e.find(exp.Explode)]
        if len(explodes) > 1:
            return (
                f"{snippet(node, 60)}: several unnest() calls in one SELECT: DuckDB zips them, Spark "
                "allows one generator per SELECT; unnest in separate steps"
            )
        for projection in explodes:
            inner = projection.this if isinstance(projection, exp.Alias) else projection
            if not isinstance(inner, exp.Explode):
                return (
                    f"{snippet(projection)}: unnest() inside an expression is not allowed by Spark; "
                    "unnest in a subquery and compute on its column"
                )
    return None
