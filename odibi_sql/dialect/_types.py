"""What DuckDB type an expression has, as far as the AST alone can tell.

Several lowerings depend on the operand's type (``CAST(x AS INT)`` rounds half-even for a
DOUBLE but half away from zero for a DECIMAL; ``AT TIME ZONE`` goes one way for TIMESTAMP and the
other for TIMESTAMPTZ). Types come, in order, from an annotation already on the node (the
compiler annotates columns from upstream schemas; lowerings copy the DuckDB type onto the nodes
they build), from literals and casts, and from a few operators. Anything else is unknown (None):
a lowering that needs the type then leaves the node alone and ``unsupported()`` says why.
sqlglot's own ``annotate_types`` is not used here: it types ``2.5`` as DOUBLE where DuckDB reads a
DECIMAL, and re-annotating a tree without the schema erases the compiler's column types.
"""

from __future__ import annotations

from sqlglot import exp

DType = exp.DType

INTEGER_TYPES = frozenset(
    {
        DType.TINYINT,
        DType.SMALLINT,
        DType.INT,
        DType.BIGINT,
        DType.INT128,
        DType.UTINYINT,
        DType.USMALLINT,
        DType.UINT,
        DType.UBIGINT,
        DType.UINT128,
    }
)
FLOAT_TYPES = frozenset({DType.FLOAT, DType.DOUBLE})
DECIMAL_TYPES = frozenset({DType.DECIMAL, DType.BIGDECIMAL})
TEXT_TYPES = frozenset({DType.VARCHAR, DType.TEXT, DType.CHAR, DType.NCHAR, DType.NVARCHAR})
NAIVE_TIMESTAMP_TYPES = frozenset(
    {
        DType.TIMESTAMP,
        DType.TIMESTAMPNTZ,
        DType.DATETIME,
        DType.TIMESTAMP_S,
        DType.TIMESTAMP_MS,
        DType.TIMESTAMP_NS,
        DType.DATE,
    }
)
ZONED_TIMESTAMP_TYPES = frozenset({DType.TIMESTAMPTZ, DType.TIMESTAMPLTZ})
LIST_TYPES = frozenset({DType.ARRAY, DType.LIST})

_BUILT = {name: exp.DataType.build(name) for name in ("INT", "BIGINT", "DOUBLE", "VARCHAR", "BOOLEAN")}


def duck_type(node: exp.Expr) -> exp.DataType | None:
    """The DuckDB type of ``node``, or None when the AST does not tell."""
    annotated = node.type
    if annotated is not None and not annotated.is_type(DType.UNKNOWN, DType.NULL):
        return annotated
    if isinstance(node, (exp.Paren, exp.Neg, exp.Alias)):
        return duck_type(node.this)
    if isinstance(node, exp.Literal):
        return _literal_type(node)
    if isinstance(node, exp.Boolean):
        return _BUILT["BOOLEAN"]
    if isinstance(node, (exp.Cast, exp.TryCast)):
        return node.to
    if isinstance(node, exp.AtTimeZone):
        return _at_time_zone_type(duck_type(node.this))
    if isinstance(
        node,
        (
            exp.Array,
            exp.ArrayAgg,
            exp.Split,
            exp.RegexpSplit,
            exp.ArrayDistinct,
            exp.ArraySort,
            exp.ArrayConcat,
            exp.ArrayFilter,
        ),
    ):
        return exp.DataType(this=DType.ARRAY, nested=True)
    if isinstance(
        node,
        (
            exp.Concat,
            exp.DPipe,
            exp.Upper,
            exp.Lower,
            exp.Trim,
            exp.Substring,
            exp.TimeToStr,
            exp.GroupConcat,
        ),
    ):
        return _BUILT["VARCHAR"]
    if isinstance(node, exp.Div):
        return _BUILT["DOUBLE"]
    if isinstance(node, (exp.Add, exp.Sub, exp.Mul)):
        return _arithmetic_type(duck_type(node.this), duck_type(node.expression))
    if isinstance(node, (exp.Round, exp.Floor, exp.Ceil, exp.Abs)):
        return duck_type(node.this)
    return None


def is_type(node: exp.Expr, types: frozenset[exp.DType]) -> bool:
    """Whether ``node`` is known to have one of ``types``."""
    found = duck_type(node)
    return found is not None and found.this in types


def _literal_type(node: exp.Literal) -> exp.DataType:
    if node.is_string:
        return _BUILT["VARCHAR"]
    if node.is_int:
        return _BUILT["INT"]
    text = node.this.lower()
    if "e" in text:
        return _BUILT["DOUBLE"]
    digits = text.lstrip("-")
    whole, _, frac = digits.partition(".")
    whole = whole.lstrip("0")
    return exp.DataType.build(f"DECIMAL({max(len(whole) + len(frac), 1)}, {len(frac)})")


def _at_time_zone_type(operand: exp.DataType | None) -> exp.DataType | None:
    """DuckDB: TIMESTAMP (or DATE) AT TIME ZONE z is a TIMESTAMPTZ, and TIMESTAMPTZ gives a TIMESTAMP."""
    if operand is None:
        return None
    if operand.this in ZONED_TIMESTAMP_TYPES:
        return exp.DataType.build("TIMESTAMP", dialect="duckdb")
    if operand.this in NAIVE_TIMESTAMP_TYPES:
        return exp.DataType.build("TIMESTAMPTZ", dialect="duckdb")
    return None


def _arithmetic_type(left: exp.DataType | None, right: exp.DataType | None) -> exp.DataType | None:
    if left is None or right is None:
        return None
    kinds = {left.this, right.this}
    if kinds & FLOAT_TYPES:
        return _BUILT["DOUBLE"]
    if kinds & DECIMAL_TYPES and kinds <= DECIMAL_TYPES | INTEGER_TYPES:
        return left if left.this in DECIMAL_TYPES else right
    if kinds <= INTEGER_TYPES:
        return _BUILT["BIGINT"]
    return None
