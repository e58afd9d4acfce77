"""Spark lowerings for scalar values: casts, types, regular expressions and list lengths."""

from __future__ import annotations

import re

from sqlglot import exp

from odibi_sql.dialect._types import (
    DECIMAL_TYPES,
    FLOAT_TYPES,
    INTEGER_TYPES,
    LIST_TYPES,
    TEXT_TYPES,
    duck_type,
    is_type,
)
from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.lowering import handles, snippet

_TEXT_AS_NUMBER = exp.DataType.build("DECIMAL(38, 18)")
"""Wide enough for every BIGINT with 18 fractional digits to round from."""


@handles(exp.Cast, exp.TryCast)
def lower_cast_to_integer_rounding(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """CAST(x AS INT/BIGINT/...): DuckDB rounds, Spark truncates toward zero.

    DuckDB rounds a DOUBLE/FLOAT half to even (2.5 -> 2, 3.5 -> 4) and a DECIMAL or a numeric
    string half away from zero (2.5 -> 3, -2.5 -> -3); Spark truncates (2.5 -> 2) and rejects
    '2.5' in ANSI mode. Rendered as ``CAST(BROUND(x) AS INT)``, ``CAST(ROUND(x) AS INT)`` and
    ``CAST(ROUND(CAST(x AS DECIMAL(38, 18))) AS INT)``. An operand of unknown type is left alone
    and reported by ``unsupported``; integers, booleans and others need nothing.
    """
    if not isinstance(node, (exp.Cast, exp.TryCast)) or node.to.this not in INTEGER_TYPES:
        return node
    operand = duck_type(node.this)
    if operand is None:
        return node
    value = node.this
    if operand.this in FLOAT_TYPES:
        rounded: exp.Expr = exp.Anonymous(this="BROUND", expressions=[value])
    elif operand.this in DECIMAL_TYPES:
        rounded = exp.Round(this=value)
    elif operand.this in TEXT_TYPES:  # TRY_CAST: text that is no number is NULL, not an error
        safe = isinstance(node, exp.TryCast) or bool(node.args.get("safe"))
        number = (exp.TryCast if safe else exp.Cast)(this=value, to=_TEXT_AS_NUMBER.copy(), safe=safe or None)
        rounded = exp.Round(this=number)
    else:
        return node
    node.set("this", rounded)
    return node


@handles(exp.Cast, exp.TryCast)
def lower_cast_float_to_decimal(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """CAST(double AS DECIMAL(p, s)): DuckDB rounds the double times 10^s half away from zero.

    DuckDB computes ``round(x * 10^s)`` in double arithmetic (``CAST(1.005 AS DECIMAL(18, 2))`` is
    1.00: 1.005 is stored as 1.00499...); Spark rounds the double's decimal text (1.01). Rendered
    as ``CAST(CAST(ROUND(x * 10^s) AS DECIMAL(38, 0)) / 10^s AS DECIMAL(p, s))``: Spark's ROUND of
    a double is half away from zero too, and the division by a power of ten is exact (Spark keeps
    six decimals of a quotient). Scales above 6 are left alone and reported by ``unsupported``.
    """
    if not isinstance(node, (exp.Cast, exp.TryCast)) or node.to.this not in DECIMAL_TYPES:
        return node
    if not is_type(node.this, FLOAT_TYPES):
        return node
    scale = _decimal_scale(node.to)
    if scale is None or scale > _MAX_EXACT_SCALE:
        return node
    factor = exp.Literal.number(10**scale)
    scaled = exp.Round(this=exp.Mul(this=node.this, expression=factor))
    whole = exp.Cast(this=scaled, to=exp.DataType.build("DECIMAL(38, 0)"))
    node.set("this", exp.Div(this=whole, expression=factor.copy()))
    return node


_MAX_EXACT_SCALE = 6


def _decimal_scale(datatype: exp.DataType) -> int | None:
    """The scale of DECIMAL(p, s) (DuckDB's DECIMAL alone is DECIMAL(18, 3))."""
    params = datatype.expressions
    if not params:
        return 3
    if len(params) == 1:
        return 0
    value = params[1].this
    return int(value.name) if isinstance(value, exp.Literal) else None


@handles(exp.DataType)
def lower_data_types(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """DuckDB types Spark lacks -> the Spark type that holds the same values (``type_names`` in the YAML).

    sqlglot passes HUGEINT, UBIGINT, UINTEGER, USMALLINT and TIMESTAMP_S/MS/NS through unchanged
    (invalid in Spark) and turns CAST(x AS JSON) into TO_JSON(x) (a different value).
    """
    if not isinstance(node, exp.DataType):
        return node
    target = _type_names(caps).get(node.this)
    if target is None:
        return node
    return exp.DataType.build(target, dialect=caps.sqlglot_dialect)


def _type_names(caps: Capabilities) -> dict[exp.DType, str]:
    return {
        exp.DataType.build(name, dialect="duckdb").this: target for name, target in caps.type_names.items()
    }


_GROUP_REF = re.compile(r"\\(\d)|\\\\|\\|\$")


def _java_replacement(rewrite: str, shift: int) -> str:
    """An RE2 rewrite string (``\\1``, ``\\\\``) as a Java replacement (``$1``, ``\\\\``), groups shifted."""

    def convert(match: re.Match[str]) -> str:
        token = match.group(0)
        if match.group(1) is not None:
            ref = f"${int(match.group(1)) + shift}"
            following = rewrite[match.end() : match.end() + 1]
            return ref + ("\\" if following.isdigit() else "")
        if token == "$":
            return "\\$"
        return "\\\\"

    return _GROUP_REF.sub(convert, rewrite)


def _regexp_options(node: exp.RegexpReplace) -> str | None:
    """DuckDB's option letters, or None when they are not a literal this lowering understands."""
    modifiers = node.args.get("modifiers")
    if modifiers is None:
        return ""
    if not (isinstance(modifiers, exp.Literal) and modifiers.is_string) or set(modifiers.name) - set("gicsl"):
        return None
    return modifiers.name


def _string(node: exp.Expr | None) -> str | None:
    return node.name if isinstance(node, exp.Literal) and node.is_string else None


@handles(exp.RegexpReplace)
def lower_regexp_replace(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """regexp_replace: DuckDB replaces the first match unless option 'g'; Spark replaces all.

    First match only: the pattern becomes ``^((?s:.*?))(<pattern>)`` and the replacement
    ``$1<replacement>`` - the lazy prefix stops at the leftmost match, as RE2 does. The
    replacement's RE2 group references (``\\1``) become Java ones (``$3``), a literal ``$`` is
    escaped. Options: 'g' (all matches), 'i' / 'c' (case), 's' (dot matches newline), 'l' (literal
    pattern). A non-literal replacement or other options are left alone and reported.
    """
    if not isinstance(node, exp.RegexpReplace) or node.args.get("position") or node.args.get("occurrence"):
        return node
    options = _regexp_options(node)
    rewrite = _string(node.args.get("replacement"))
    if options is None or rewrite is None:
        return node
    pattern: exp.Expr = node.expression
    if "l" in options:
        text = _string(pattern)
        if text is None:
            return node
        pattern = exp.Literal.string(re.escape(text))
    flags = ("(?i)" if options.rfind("i") > options.rfind("c") else "") + ("(?s)" if "s" in options else "")
    if "g" in options:
        prefix, suffix, shift, lead = flags, "", 0, ""
    else:
        prefix, suffix, shift, lead = "^((?s:.*?))(" + flags, ")", 2, "$1"
    return exp.RegexpReplace(
        this=node.this,
        expression=_wrap_pattern(pattern, prefix, suffix),
        replacement=exp.Literal.string(lead + _java_replacement(rewrite, shift)),
    )


def _wrap_pattern(pattern: exp.Expr, prefix: str, suffix: str) -> exp.Expr:
    if not prefix and not suffix:
        return pattern
    text = _string(pattern)
    if text is not None:
        return exp.Literal.string(prefix + text + suffix)
    parts = [
        p for p in (exp.Literal.string(prefix), pattern, exp.Literal.string(suffix)) if p.name or p is pattern
    ]
    return exp.Concat(expressions=parts)


@handles(exp.Length)
def lower_list_length(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """len(list) / length(list): DuckDB measures strings and lists alike; Spark's LENGTH takes only strings.

    A LENGTH whose argument is known to be a list becomes ``SIZE(x)`` (NULL for a NULL list in
    ANSI mode, like DuckDB). An argument of unknown type stays LENGTH: right for strings, and an
    analysis error (not a wrong value) on Spark for lists.
    """
    if isinstance(node, exp.Length):
        found = duck_type(node.this)
        if found is not None and found.this in LIST_TYPES:
            return exp.ArraySize(this=node.this)
    return node


# -- checks -----------------------------------------------------------------------------------------


def check_values(node: exp.Expr, caps: Capabilities) -> str | None:
    """Scalar constructs Spark cannot express, or not without type information the AST lacks."""
    if (
        isinstance(node, (exp.Cast, exp.TryCast))
        and node.to.this in INTEGER_TYPES
        and duck_type(node.this) is None
    ):
        return (
            f"{snippet(node)}: DuckDB rounds when casting a DOUBLE or DECIMAL to an integer and Spark "
            f"truncates, but the type of {snippet(node.this, 40)} is unknown; cast it to a known type "
            "first or use round()/trunc() explicitly"
        )
    if (
        isinstance(node, (exp.Cast, exp.TryCast))
        and node.to.this in DECIMAL_TYPES
        and is_type(node.this, FLOAT_TYPES)
        and (scale := _decimal_scale(node.to)) is not None
        and scale > _MAX_EXACT_SCALE
    ):
        return (
            f"{snippet(node)}: DuckDB rounds a DOUBLE to a DECIMAL with more than {_MAX_EXACT_SCALE} "
            "decimals in a way Spark cannot reproduce; round it first (round(x, 6)) or cast to a smaller scale"
        )
    if isinstance(node, exp.DataType):
        reason = _unsupported_types(caps).get(node.this)
        if reason:
            return f"type {node.sql('duckdb')}: {reason}"
    if isinstance(node, exp.RegexpReplace):
        if _regexp_options(node) is None:
            return (
                f"{snippet(node)}: regexp_replace options must be a literal made of g, i, c, s, l "
                "to be translated for Spark"
            )
        if _string(node.args.get("replacement")) is None:
            return (
                f"{snippet(node)}: the replacement must be a string literal: group references "
                "(\\1 in DuckDB, $1 in Spark) and first-match semantics are translated at compile time"
            )
        if "l" in (_regexp_options(node) or "") and _string(node.expression) is None:
            return f"{snippet(node)}: option 'l' (literal pattern) needs a string literal pattern"
    return None


def _unsupported_types(caps: Capabilities) -> dict[exp.DType, str]:
    return {
        exp.DataType.build(name, dialect="duckdb").this: why for name, why in caps.unsupported_types.items()
    }


def _one_based(index: exp.Expr, offset: int) -> exp.Expr:
    """The 1-based position DuckDB reads: a subscript is stored 0-based (``l[1]`` holds 0, ``l[-1]``
    holds -2) unless its ``offset`` says it is already 1-based (see ``compile.parse``)."""
    if offset == 1:
        return index
    negative = isinstance(index, exp.Neg)
    literal = index.this if negative else index
    if isinstance(literal, exp.Literal) and literal.is_int:
        value = (-int(literal.name) if negative else int(literal.name)) + 1
        return exp.Literal.number(value)
    return exp.Add(this=exp.Paren(this=index), expression=exp.Literal.number(1))


@handles(exp.Bracket)
def lower_list_index(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """list[i]: DuckDB counts from 1 (negative from the end) and gives NULL outside the list; Spark's
    ``l[i]`` counts from 0 and raises in ANSI mode. Rendered as ``TRY_ELEMENT_AT(l, CASE WHEN i = 0
    THEN NULL ELSE CAST(i AS INT) END)`` (1-based, negative from the end, NULL outside). Slices are
    reported."""
    if not isinstance(node, exp.Bracket) or len(node.expressions) != 1 or not is_type(node.this, LIST_TYPES):
        return node
    index = node.expressions[0]
    if isinstance(index, exp.Slice):
        return node
    index = _one_based(index, node.args.get("offset") or 0)
    position = exp.Case(
        ifs=[exp.If(this=exp.EQ(this=index.copy(), expression=exp.Literal.number(0)), true=exp.null())],
        default=exp.Cast(this=index, to=exp.DataType.build("INT")),  # Spark's position is an INT
    )
    return exp.Anonymous(this="TRY_ELEMENT_AT", expressions=[node.this, position])
