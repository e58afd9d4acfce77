"""Spark lowerings for arithmetic whose result or result type differs from DuckDB's."""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect._types import DECIMAL_TYPES, FLOAT_TYPES, INTEGER_TYPES, duck_type, is_type
from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles, snippet

_DOUBLE = exp.DataType.build("DOUBLE")


def _double(value: exp.Expr) -> exp.Expr:
    return exp.Cast(this=value, to=_DOUBLE.copy())


@handles(exp.Div)
def lower_division(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """a / b: DuckDB divides as DOUBLE and gives IEEE results for a zero divisor; Spark (ANSI) raises.

    DuckDB's ``/`` returns a DOUBLE for integers and decimals alike (Spark: DOUBLE for integers,
    DECIMAL for decimals), and ``1 / 0`` is ``inf``, ``-1 / 0`` is ``-inf``, ``0 / 0`` is ``nan``
    where Spark raises DIVIDE_BY_ZERO. Rendered as ``CASE WHEN CAST(b AS DOUBLE) = 0 THEN
    CAST(a AS DOUBLE) * SIGN(ATAN2(CAST(b AS DOUBLE), -1)) * CAST('Infinity' AS DOUBLE) ELSE
    CAST(a AS DOUBLE) / CAST(b AS DOUBLE) END`` (``SIGN(ATAN2(b, -1))`` is the sign of a zero,
    -0.0 included).
    """
    if not isinstance(node, exp.Div) or node.args.get("typed") or node.args.get("safe"):
        return node
    left, right = _double(node.this), _double(node.expression)
    sign = exp.Anonymous(
        this="SIGN",
        expressions=[exp.Anonymous(this="ATAN2", expressions=[right.copy(), exp.Literal.number(-1)])],
    )
    infinity = exp.Cast(this=exp.Literal.string("Infinity"), to=_DOUBLE.copy())
    by_zero = exp.Mul(this=exp.Mul(this=left.copy(), expression=sign), expression=infinity)
    divided = exp.Div(this=left, expression=right)
    zero = exp.EQ(this=right.copy(), expression=exp.Literal.number(0))
    result = exp.Case(ifs=[exp.If(this=zero, true=by_zero)], default=divided)
    result.type = _DOUBLE.copy()
    return result


@handles(exp.Avg, exp.Window, exp.Filter)
def lower_avg(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """avg(x) of a DECIMAL: DuckDB sums exactly and divides as DOUBLE; Spark returns a DECIMAL
    rounded to 4 more digits (casting it to DOUBLE afterwards keeps that rounding).

    Rendered as ``CAST(SUM(x) AS DOUBLE) / COUNT(x)``, each with the FILTER and OVER of the
    ``avg`` (no rows: NULL / 0 is NULL); integers and doubles need nothing.
    """
    inner = node
    while isinstance(inner, (exp.Window, exp.Filter)):
        inner = inner.this
    if not isinstance(inner, exp.Avg):
        return node
    value = inner.this.expressions[0] if isinstance(inner.this, exp.Distinct) else inner.this
    if not is_type(value, DECIMAL_TYPES) or isinstance(node.parent, (exp.Window, exp.Filter)):
        return node  # not a DECIMAL, or the window or filter around it is rewritten instead
    total = _swap_innermost(node.copy(), exp.Sum(this=inner.this.copy()))
    count = _swap_innermost(node.copy(), exp.Count(this=inner.this.copy()))
    result = exp.Div(this=_double(total), expression=count, typed=True)
    result.type = _DOUBLE.copy()
    return result


def _swap_innermost(wrapped: exp.Expr, function: exp.Expr) -> exp.Expr:
    """``wrapped`` (an aggregate inside FILTER / OVER wrappers) with ``function`` in its place."""
    if not isinstance(wrapped, (exp.Window, exp.Filter)):
        return function
    wrapped.set("this", _swap_innermost(wrapped.this, function))
    return wrapped


def _positive_step(step: exp.Expr | None) -> bool:
    if step is None:
        return True
    if isinstance(step, exp.Interval):
        step = step.this
    return isinstance(step, exp.Literal) and not step.is_string and float(step.name) > 0


@handles(exp.GenerateSeries)
def lower_generate_series(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """generate_series(a, b [, step]): DuckDB gives an empty list when b < a; Spark's SEQUENCE counts
    down (and raises with a positive step). Rendered as ``CASE WHEN a > b THEN ARRAY() ELSE
    SEQUENCE(a, b [, step]) END`` (NULL bounds stay NULL). Only steps that are positive literals are
    rewritten; ``check_series`` reports the others."""
    if not isinstance(node, exp.GenerateSeries) or node.args.get("is_end_exclusive"):
        return node
    if not _positive_step(node.args.get("step")):
        return node
    start, end = node.args["start"], node.args["end"]
    backwards = exp.GT(this=start.copy(), expression=end.copy())
    empty = exp.Anonymous(this="ARRAY", expressions=[])
    return exp.Case(ifs=[exp.If(this=backwards, true=empty)], default=node)


def check_series(node: exp.Expr, caps: Capabilities) -> str | None:
    """generate_series forms the lowering cannot translate."""
    if isinstance(node, exp.GenerateSeries):
        if node.args.get("is_end_exclusive"):
            return (
                f"{snippet(node)}: range() excludes its end and Spark's SEQUENCE includes it; "
                "use generate_series(a, b - 1)"
            )
        if not _positive_step(node.args.get("step")):
            return (
                f"{snippet(node)}: the step must be a positive literal for Spark (SEQUENCE raises or "
                "counts down where DuckDB gives an empty list)"
            )
    return None


_SPLIT = exp.Literal.number(134217729)  # 2^27 + 1: Veltkamp's split of a double into two halves
_MAX_ROUND_DIGITS = 8  # 10^8 < 2^27: the factor needs no split


def _num(value: float | int | str) -> exp.Expr:
    return exp.Cast(this=exp.Literal.number(value), to=_DOUBLE.copy())


@handles(exp.Round)
def lower_round(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """round(double, n) for 1 <= n <= 8: DuckDB rounds the double's exact binary value, Spark its
    shortest decimal text, half away from zero both.

    They differ only when the text is a tie (``2.675`` rounded to 2 digits) while the stored value
    is not (2.674999...): DuckDB gives 2.67, Spark 2.68. Rendered as ``CASE WHEN <the text is a tie>
    AND <the exact value is below it> THEN SIGN(x) * (FLOOR(|x| * 10^n)) / 10^n ELSE ROUND(x, n) END``
    (values from 1e15, infinities and NaN keep ``ROUND(x, n)``: no fraction digit is left to differ);
    the exact side is found without rounding error with Dekker's product (``|x| * 10^n = p + e``
    exactly, so ``(p - tie) + e`` has the sign of the exact difference). Other precisions give the
    same result on both (a tie text is then an exact double), and a precision that is not a literal
    is reported by ``check_rounding``.
    """
    if not isinstance(node, exp.Round) or not is_type(node.this, FLOAT_TYPES):
        return node
    digits = _literal_int(node.args.get("decimals"))
    if digits is None or not 1 <= digits <= _MAX_ROUND_DIGITS:
        return node
    x = node.this
    factor = _num(10**digits)
    magnitude = exp.Abs(this=x.copy())
    product = exp.Mul(this=magnitude.copy(), expression=factor.copy())
    scaled_text = exp.Mul(
        this=exp.Abs(this=exp.Cast(this=x.copy(), to=exp.DataType.build("DECIMAL(38, 18)"))),
        expression=exp.Literal.number(10**digits),
    )
    tie = exp.Add(this=exp.Floor(this=scaled_text.copy()), expression=exp.Literal.number("0.5"))
    is_tie = exp.EQ(this=scaled_text, expression=tie.copy())
    split = exp.Mul(this=_SPLIT.copy(), expression=magnitude.copy())
    high = exp.Sub(
        this=split.copy(), expression=exp.Paren(this=exp.Sub(this=split, expression=magnitude.copy()))
    )
    low = exp.Sub(this=magnitude.copy(), expression=exp.Paren(this=high.copy()))
    error = exp.Add(
        this=exp.Paren(
            this=exp.Sub(
                this=exp.Mul(this=exp.Paren(this=high), expression=factor.copy()), expression=product.copy()
            )
        ),
        expression=exp.Mul(this=exp.Paren(this=low), expression=factor.copy()),
    )
    below = exp.LT(
        this=exp.Add(
            this=exp.Paren(
                this=exp.Sub(this=product.copy(), expression=exp.Cast(this=tie, to=_DOUBLE.copy()))
            ),
            expression=exp.Paren(this=error),
        ),
        expression=exp.Literal.number(0),
    )
    toward_zero = exp.Div(
        this=exp.Mul(
            this=exp.Anonymous(this="SIGN", expressions=[x.copy()]), expression=exp.Floor(this=product)
        ),
        expression=factor.copy(),
    )
    huge = exp.not_(exp.LT(this=magnitude.copy(), expression=_num("1e15")))  # also inf, nan
    result = exp.Case(
        ifs=[exp.If(this=huge, true=node.copy()), exp.If(this=exp.and_(is_tie, below), true=toward_zero)],
        default=node,
    )
    result.type = _DOUBLE.copy()
    return result


def _literal_int(node: exp.Expr | None) -> int | None:
    if node is None:
        return 0
    negative = isinstance(node, exp.Neg)
    value = node.this if negative else node
    if isinstance(value, exp.Literal) and value.is_int:
        return -int(value.name) if negative else int(value.name)
    return None


def check_rounding(node: exp.Expr, caps: Capabilities) -> str | None:
    """round(double, n) with a precision the lowering cannot read."""
    unreadable = isinstance(node, exp.Round) and _literal_int(node.args.get("decimals")) is None
    if unreadable and is_type(node.this, FLOAT_TYPES):
        return f"{snippet(node)}: the precision of round() on a DOUBLE must be an integer literal for Spark"
    return None


def _number(value: int) -> exp.Literal:
    return exp.Literal.number(value)


_EXACT_DOUBLES = exp.Literal.number(2**52)
"""Doubles at least this large (in magnitude) are whole numbers already."""


def _whole_double(value: exp.Expr, whole: exp.Expr) -> exp.Expr:
    """``whole`` (an integer made from ``value``) as a DOUBLE where it fits; ``value`` itself where
    it is already whole (large, infinite), NaN or NULL."""
    fits = exp.LT(this=exp.Abs(this=value.copy()), expression=_EXACT_DOUBLES.copy())
    result = exp.Case(ifs=[exp.If(this=fits, true=_double(whole))], default=value.copy())
    result.type = _DOUBLE.copy()
    return result


@handles(exp.Ceil, exp.Floor, exp.Trunc)
def lower_whole_number(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """ceil / floor / trunc keep DuckDB's result types: DOUBLE for doubles and integers (ceil and
    floor), the integer for trunc of an integer, DECIMAL(p, 0) for decimals.

    Spark's CEIL / FLOOR of a DOUBLE is a BIGINT (which overflows past 2^63) and sqlglot writes
    trunc as ``CAST(x AS BIGINT)``. Doubles: ``CASE WHEN ABS(x) < 2^52 THEN CAST(CEIL(x) AS
    DOUBLE) ELSE x END`` (larger doubles are whole; NaN, infinities and NULL pass through; trunc
    takes CEIL below zero, FLOOR above);
    trunc of a DECIMAL(p, s) is ``CAST(x - x % 1 AS DECIMAL(p, 0))``.
    """
    if not isinstance(node, (exp.Ceil, exp.Floor, exp.Trunc)) or node.args.get("decimals") is not None:
        return node
    value = node.this
    if is_type(value, FLOAT_TYPES):
        if isinstance(node, exp.Trunc):
            negative = exp.LT(this=value.copy(), expression=_number(0))
            toward_zero = exp.Case(
                ifs=[exp.If(this=negative, true=exp.Ceil(this=value.copy()))],
                default=exp.Floor(this=value.copy()),
            )
            return _whole_double(value, toward_zero)
        return _whole_double(value, node)
    if is_type(value, INTEGER_TYPES):
        return value if isinstance(node, exp.Trunc) else _double(value)
    found = duck_type(value)
    if isinstance(node, exp.Trunc) and found is not None and found.this in DECIMAL_TYPES:
        digits = found.expressions[0].copy() if found.expressions else exp.DataTypeParam(this=_number(18))
        whole = exp.Sub(this=value.copy(), expression=exp.Mod(this=value.copy(), expression=_number(1)))
        scale_zero = exp.DataTypeParam(this=_number(0))
        return exp.Cast(
            this=whole, to=exp.DataType(this=exp.DataType.Type.DECIMAL, expressions=[digits, scale_zero])
        )
    return node


@handles(exp.Sign)
def lower_sign(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """sign(x): DuckDB returns an integer, 0 for NaN; Spark's SIGN a DOUBLE (NaN for NaN).
    Rendered as ``CASE WHEN x > 0 AND NOT ISNAN(x) THEN 1 WHEN x < 0 THEN -1 WHEN x IS NOT NULL
    THEN 0 END`` (no ISNAN for integers and decimals)."""
    if not isinstance(node, exp.Sign):
        return node
    value = node.this
    positive: exp.Expr = exp.GT(this=value.copy(), expression=_number(0))
    if not is_type(value, INTEGER_TYPES | DECIMAL_TYPES):
        positive = exp.and_(positive, exp.not_(exp.Anonymous(this="ISNAN", expressions=[value.copy()])))
    return exp.Case(
        ifs=[
            exp.If(this=positive, true=_number(1)),
            exp.If(this=exp.LT(this=value.copy(), expression=_number(0)), true=_number(-1)),
            exp.If(this=exp.not_(exp.Is(this=value.copy(), expression=exp.null())), true=_number(0)),
        ]
    )
