"""Name every construct of a canonical AST the way the portability registry lists it.

A construct is what changes a value or a row set: a function call, an operator over typed operands,
a cast between two type classes, a literal form, or a clause. Each gets a key such as
``function:substring``, ``operator:add(date, interval)``, ``cast:double -> integer``,
``literal:decimal`` or ``clause:union all``. Names, aliases and parentheses only point at values and
get no key. Operand types come from the compiler's annotations (``_types.duck_type``).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from odibi_sql.dialect._types import (
    DECIMAL_TYPES,
    FLOAT_TYPES,
    INTEGER_TYPES,
    LIST_TYPES,
    TEXT_TYPES,
    duck_type,
)

DType = exp.DType

_CLASSES: dict[DType, str] = {
    **{t: "integer" for t in INTEGER_TYPES},
    **{t: "decimal" for t in DECIMAL_TYPES},
    **{t: "float" for t in FLOAT_TYPES},
    **{t: "text" for t in TEXT_TYPES},
    **{t: "list" for t in LIST_TYPES},
    DType.BOOLEAN: "boolean",
    DType.DATE: "date",
    DType.TIMESTAMP: "timestamp",
    DType.TIMESTAMPNTZ: "timestamp",
    DType.DATETIME: "timestamp",
    DType.TIMESTAMP_S: "timestamp",
    DType.TIMESTAMP_MS: "timestamp",
    DType.TIMESTAMP_NS: "timestamp",
    DType.TIMESTAMPTZ: "timestamptz",
    DType.TIMESTAMPLTZ: "timestamptz",
    DType.INTERVAL: "interval",
    DType.MAP: "map",
    DType.STRUCT: "struct",
    DType.BLOB: "blob",
    DType.VARBINARY: "blob",
    DType.BINARY: "blob",
    DType.UUID: "uuid",
    DType.JSON: "json",
    DType.TIME: "time",
    DType.TIMETZ: "time",
    DType.NULL: "null",
}

TYPE_CLASSES = tuple(dict.fromkeys(_CLASSES.values()))
"""Every type class a key can name (``unknown`` aside)."""

STRUCTURE = (
    exp.Identifier,
    exp.Column,
    exp.Table,
    exp.TableAlias,
    exp.Alias,
    exp.Paren,
    exp.Var,
    exp.DataType,
    exp.DataTypeParam,
    exp.Schema,
    exp.ColumnDef,
    exp.Dot,
    exp.Placeholder,
    exp.Parameter,
    exp.Lambda,
    exp.Tuple,
    exp.PropertyEQ,
    exp.Subquery,
    exp.With,
    exp.CTE,
    exp.From,
    exp.Where,
    exp.Having,
    exp.Group,
    exp.Limit,
    exp.Offset,
    exp.Order,
    exp.Qualify,
    exp.WindowSpec,
    exp.Slice,
    exp.Kwarg,
    exp.Star,
)
"""Nodes that name, group or hold other constructs: no key of their own (their parts have one)."""

FILE_READERS = frozenset({"read_csv", "read_csv_auto", "read_parquet", "read_json", "read_json_auto"})
"""Table functions reading files: on Spark each becomes an external table over the same files with
the columns and types DuckDB detects (the adapter's rewrite, proven by the example builds)."""

_CLAUSE_KEYS: dict[type[exp.Expr], str] = {
    exp.Select: "select",
    exp.Values: "values",
    exp.Window: "window",
    exp.Lateral: "lateral",
    exp.Unnest: "unnest",
    exp.Pivot: "pivot",
    exp.IgnoreNulls: "ignore nulls",
    exp.RespectNulls: "respect nulls",
    exp.Rollup: "rollup",
    exp.Cube: "cube",
    exp.GroupingSets: "grouping sets",
}


def type_class(node: exp.Expr) -> str:
    """The type class of ``node``'s DuckDB type (``unknown`` when the AST does not tell)."""
    found = duck_type(node)
    if found is None:
        return "null" if isinstance(node, exp.Null) else "unknown"
    return _CLASSES.get(found.this, found.this.value.lower())


def key(node: exp.Expr) -> str | None:
    """The registry key of ``node``, or None for structure."""
    if isinstance(node, STRUCTURE):
        return None
    if isinstance(node, exp.DateStrToDate):
        return "cast:text -> date"  # what DuckDB writes for it: CAST(x AS DATE)
    if isinstance(node, exp.TimeStrToTime):
        return "cast:text -> timestamp"
    if isinstance(node, exp.Bracket):
        kind = "slice" if any(isinstance(e, exp.Slice) for e in node.expressions) else "index"
        return f"operator:{kind}({type_class(node.this)})"
    if isinstance(node, exp.AtTimeZone):
        return f"operator:at time zone({type_class(node.this)})"
    if isinstance(node, exp.Func) and isinstance(node.parent, (exp.Table, exp.From)):
        name = node.name.lower() if isinstance(node, exp.Anonymous) else type(node).sql_name().lower()
        if name in FILE_READERS:
            return None  # a file source: the Spark adapter reads it as a table (adapters/spark_files.py)
        return f"clause:table function {name}"
    if isinstance(node, (exp.Cast, exp.TryCast)):
        kind = "try_cast" if isinstance(node, exp.TryCast) or node.args.get("safe") else "cast"
        return f"{kind}:{type_class(node.this)} -> {type_class(node.to)}"
    if isinstance(node, exp.Literal):
        return f"literal:{_literal_class(node)}"
    if isinstance(node, exp.Null):
        return "literal:null"
    if isinstance(node, exp.Boolean):
        return "literal:boolean"
    if isinstance(node, exp.Interval):
        unit = node.args.get("unit")
        return f"literal:interval {unit.name.lower() if unit else 'text'}"
    if isinstance(node, exp.Escape):
        return f"operator:{_OPERATOR_NAMES.get(type(node.this), type(node.this).__name__.lower())} escape"
    if isinstance(node, (exp.Like, exp.ILike)) and isinstance(node.parent, exp.Escape):
        return None
    if isinstance(node, (exp.Connector, exp.Not)) or (
        isinstance(node, (exp.Binary, exp.Unary, exp.In, exp.Between)) and not isinstance(node, exp.Func)
    ):
        return _operator_key(node)
    extracted = date_part(node)
    if extracted is not None:  # each part is its own construct
        return f"function:extract({extracted[0].lower()})"
    if isinstance(node, exp.Anonymous):
        return f"function:{node.name.lower()}"
    if isinstance(node, exp.Func):
        return f"function:{type(node).sql_name().lower()}"
    clause = _clause_key(node)
    if clause is not None:
        return f"clause:{clause}"
    return f"node:{type(node).__name__.lower()}"


def walk(tree: exp.Expr) -> Iterator[tuple[str, exp.Expr]]:
    """(key, node) for every construct of ``tree``, outermost first."""
    type_lambda_parameters(tree)
    for node in tree.walk():
        found = key(node)
        if found is not None:
            yield found, node
        if isinstance(node, exp.Star):
            yield from _star_keys(node)


def date_part(node: exp.Expr) -> tuple[str, exp.Expr] | None:
    """(part in upper case, value) of ``extract(part FROM value)`` / ``date_part('part', value)``."""
    if isinstance(node, exp.Extract):
        return node.name.upper(), node.expression
    if isinstance(node, exp.Anonymous) and node.name.lower() == "date_part" and len(node.expressions) == 2:
        part, value = node.expressions
        if isinstance(part, exp.Literal) and part.is_string:
            return part.name.upper(), value
    return None


def _literal_class(node: exp.Literal) -> str:
    if node.is_string:
        return "string"
    if node.is_int:
        return "integer"
    return "float" if "e" in node.this.lower() else "decimal"


_OPERATOR_NAMES = {
    exp.DPipe: "concat_op",
    exp.NullSafeEQ: "is_not_distinct_from",
    exp.NullSafeNEQ: "is_distinct_from",
}


def _operator_key(node: exp.Expr) -> str:
    name = _OPERATOR_NAMES.get(type(node), type(node).__name__.lower())
    if isinstance(node, (exp.And, exp.Or, exp.Not)):
        return f"operator:{name}"
    if isinstance(node, exp.Is):
        target = node.expression
        return f"operator:is {'null' if isinstance(target, exp.Null) else type_class(target)}"
    if isinstance(node, exp.In):
        kind = "subquery" if node.args.get("query") else "list"
        return f"operator:in {kind}({type_class(node.this)})"
    if isinstance(node, exp.Between):
        return f"operator:between({type_class(node.this)})"
    if isinstance(node, exp.Unary):
        return f"operator:{name}({type_class(node.this)})"
    if isinstance(node, (exp.Like, exp.ILike, exp.SimilarTo)):
        return f"operator:{name}"
    return f"operator:{name}({type_class(node.this)}, {type_class(node.expression)})"


def _clause_key(node: exp.Expr) -> str | None:
    if isinstance(node, exp.SetOperation):
        kind = {exp.Union: "union", exp.Except: "except", exp.Intersect: "intersect"}[type(node)]
        if node.args.get("by_name"):
            kind += " by name"
        return kind + ("" if node.args.get("distinct") else " all")
    if isinstance(node, exp.Join):
        side = node.side.lower() or ""
        kind = (node.kind or "").lower()
        words = [w for w in (side, kind) if w] or (
            ["cross"] if not node.args.get("on") and not node.args.get("using") else ["inner"]
        )
        return "join " + " ".join(words) + (" using" if node.args.get("using") else "")
    if isinstance(node, exp.Ordered):
        return "order by"
    if isinstance(node, exp.Distinct):
        return "distinct on" if node.args.get("on") else "distinct"
    if isinstance(node, exp.Filter):
        return "aggregate filter"
    for kind, name in _CLAUSE_KEYS.items():
        if isinstance(node, kind):
            return name
    return None


def _star_keys(node: exp.Star) -> Iterator[tuple[str, exp.Expr]]:
    for arg in ("except_", "replace", "rename"):
        if node.args.get(arg):
            yield f"clause:star {arg.rstrip('_')}", node


def type_lambda_parameters(tree: exp.Expr) -> None:
    """Give a lambda's parameter the element type of the list it is applied to
    (``list_transform(l, x -> x + 1)``: ``x`` is an element of ``l``), when that type is known."""
    for function in tree.find_all(exp.Lambda):
        call = function.parent
        lists = [a for a in call.iter_expressions() if a is not function] if call else []
        found = duck_type(lists[0]) if lists else None
        if found is None or found.this not in LIST_TYPES or not found.expressions:
            continue
        element = found.expressions[0]
        names = {p.name for p in function.expressions}
        for ref in function.this.find_all(exp.Column, exp.Identifier):
            plain = isinstance(ref, exp.Identifier) and not isinstance(ref.parent, exp.Column)
            named = (plain or (isinstance(ref, exp.Column) and not ref.table)) and ref.name in names
            if named and duck_type(ref) is None:
                ref.type = element
