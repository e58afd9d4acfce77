"""Spark lowerings for text functions whose edge cases DuckDB treats differently."""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect._types import FLOAT_TYPES, TEXT_TYPES, duck_type, is_type
from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles, snippet

_STRING = exp.DataType.build("VARCHAR")


def _length(text: exp.Expr) -> exp.Expr:
    return exp.Length(this=text.copy())


def _greatest(*values: exp.Expr) -> exp.Expr:
    return exp.Greatest(this=values[0], expressions=list(values[1:]))


def _least(*values: exp.Expr) -> exp.Expr:
    return exp.Least(this=values[0], expressions=list(values[1:]))


def _num(value: int) -> exp.Expr:
    return exp.Literal.number(value)


@handles(exp.Substring)
def lower_substring(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """substring(x, start, length): DuckDB reads positions before the first character and negative
    lengths; Spark does not. A NULL start or length gives NULL (GREATEST would skip it).

    DuckDB takes the characters at positions ``[start, start + length)`` (``[start + length,
    start)`` for a negative length) that exist: ``substring('Hello', 0, 2)`` is 'H' (Spark: 'He'),
    ``substring('abc', 2, -1)`` is 'a' (Spark: ''). A negative start counts from the end. Rendered
    as ``SUBSTRING(x, lo, GREATEST(hi - lo, 0))`` with ``lo``/``hi`` those bounds clipped to the
    text; the form without a length is the same on both.
    """
    if not isinstance(node, exp.Substring) or node.args.get("length") is None:
        return node
    text, start, length = node.this, node.args["start"], node.args["length"]
    size = _length(text)
    begin = exp.Case(
        ifs=[
            exp.If(this=exp.GT(this=start.copy(), expression=_num(0)), true=start.copy()),
            exp.If(
                this=exp.LT(this=start.copy(), expression=_num(0)),
                true=exp.Add(this=exp.Add(this=size.copy(), expression=_num(1)), expression=start.copy()),
            ),
        ],
        default=_num(0),
    )
    backwards = exp.LT(this=length.copy(), expression=_num(0))
    low = exp.Case(
        ifs=[exp.If(this=backwards, true=exp.Add(this=begin.copy(), expression=length.copy()))],
        default=begin.copy(),
    )
    high = exp.Case(
        ifs=[exp.If(this=backwards.copy(), true=begin.copy())],
        default=exp.Add(this=begin.copy(), expression=length.copy()),
    )
    low_clipped = _greatest(low, _num(1))
    high_clipped = _least(high, exp.Add(this=size, expression=_num(1)))
    count = _greatest(exp.Sub(this=high_clipped, expression=low_clipped.copy()), _num(0))
    unknown = exp.or_(
        exp.Is(this=start.copy(), expression=exp.null()), exp.Is(this=length.copy(), expression=exp.null())
    )
    return exp.Case(
        ifs=[exp.If(this=unknown, true=exp.null())],
        default=exp.Substring(this=text, start=low_clipped, length=count),
    )


@handles(exp.Left, exp.Right)
def lower_left_right(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """left(x, n) / right(x, n) with a negative n: DuckDB drops |n| characters from the other end
    (``left('hello', -2)`` is 'hel'); Spark returns ''. Rendered as ``CASE WHEN n < 0 THEN
    SUBSTRING(x, 1, GREATEST(LENGTH(x) + n, 0)) ELSE LEFT(x, n) END`` (right: ``SUBSTRING(x, 1 - n)``)."""
    if not isinstance(node, (exp.Left, exp.Right)):
        return node
    text, count = node.this, node.expression
    if isinstance(count, exp.Literal) and count.is_int:
        return node  # a count >= 0 means the same on both
    if isinstance(node, exp.Left):
        kept = _greatest(exp.Add(this=_length(text), expression=count.copy()), _num(0))
        negative: exp.Expr = exp.Substring(this=text.copy(), start=_num(1), length=kept)
    else:
        negative = exp.Substring(this=text.copy(), start=exp.Sub(this=_num(1), expression=count.copy()))
    return exp.Case(
        ifs=[exp.If(this=exp.LT(this=count.copy(), expression=_num(0)), true=negative)], default=node
    )


@handles(exp.RegexpLike)
def lower_regexp_flags(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """regexp_matches(x, p, options): sqlglot drops the options on Spark. 'i' (case-insensitive)
    and 's' (dot matches newline) become inline flags of a literal pattern; 'c' is the default."""
    if not isinstance(node, exp.RegexpLike) or node.args.get("flag") is None:
        return node
    options = _literal(node.args["flag"])
    pattern = _literal(node.expression)
    if options is None or pattern is None or set(options) - set("ics"):
        return node
    inline = ("(?i)" if options.rfind("i") > options.rfind("c") else "") + ("(?s)" if "s" in options else "")
    return exp.RegexpLike(this=node.this, expression=exp.Literal.string(inline + pattern))


def _literal(node: exp.Expr | None) -> str | None:
    return node.name if isinstance(node, exp.Literal) and node.is_string else None


@handles(exp.Concat)
def lower_concat_arguments(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """concat(a, b, ...): DuckDB turns each argument into text and skips NULLs; sqlglot's Spark form
    (``CONCAT(COALESCE(a, ''), ...)``) fails on numbers. Arguments that are not text are cast to
    STRING first (integers, decimals, dates, timestamps and booleans print the same on both);
    DOUBLE arguments are reported by ``check_concat``."""
    if not isinstance(node, exp.Concat):
        return node
    for argument in node.expressions:
        found = duck_type(argument)
        if found is not None and found.this not in TEXT_TYPES and not isinstance(argument, exp.Null):
            argument.replace(exp.Cast(this=argument.copy(), to=_STRING.copy()))
    return node


def check_strings(node: exp.Expr, caps: Capabilities) -> str | None:
    """Text constructs the lowerings cannot make portable."""
    if isinstance(node, exp.Concat) and any(is_type(a, FLOAT_TYPES) for a in node.expressions):
        return (
            f"{snippet(node)}: DuckDB and Spark write a DOUBLE as text differently (e.g. 1e10, 0.1); "
            "round or cast it to a DECIMAL first"
        )
    if isinstance(node, exp.RegexpLike) and node.args.get("flag") is not None:
        options, pattern = _literal(node.args["flag"]), _literal(node.expression)
        if options is None or pattern is None or set(options) - set("ics"):
            return (
                f"{snippet(node)}: regexp_matches options must be a literal made of i, c, s with a literal "
                "pattern to be translated for Spark"
            )
    return None
