"""Translate a DuckDB ``strftime`` format into Spark ``date_format`` pieces.

Spark's datetime patterns (``yyyy-MM-dd``) cover most DuckDB codes; the ones they cannot express
(``%w``, ``%u``, ``%U``, ``%W``, ``%V``, ``%G``, ``%-y``) become small expressions concatenated with
the formatted parts. Literal text is quoted when Spark would read it as a pattern letter.
Measured on DuckDB 2.0 and Spark 4.3 (``tests/spark/test_dialect_parity.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

_PATTERNS = {
    "a": "EEE",
    "A": "EEEE",
    "b": "MMM",
    "h": "MMM",
    "B": "MMMM",
    "d": "dd",
    "-d": "d",
    "m": "MM",
    "-m": "M",
    "y": "yy",
    "Y": "yyyy",
    "H": "HH",
    "-H": "H",
    "I": "hh",
    "-I": "h",
    "p": "a",
    "M": "mm",
    "-M": "m",
    "S": "ss",
    "-S": "s",
    "f": "SSSSSS",
    "g": "SSS",
    "n": "SSSSSSSSS",
    "j": "DDD",
    "-j": "D",
    "c": "yyyy-MM-dd HH:mm:ss",
    "x": "yyyy-MM-dd",
    "X": "HH:mm:ss",
}
"""DuckDB code (without ``%``) -> Spark pattern letters producing the same text."""


def _lpad(value: exp.Expr, width: int) -> exp.Expr:
    text = exp.cast(value, exp.DType.VARCHAR)
    return exp.Anonymous(this="LPAD", expressions=[text, exp.Literal.number(width), exp.Literal.string("0")])


def _dow(ts: exp.Expr) -> exp.Expr:
    """DuckDB's day of week, 0 = Sunday (Spark's DAYOFWEEK is 1 = Sunday)."""
    return exp.Sub(this=exp.DayOfWeek(this=ts.copy()), expression=exp.Literal.number(1))


def _week_number(ts: exp.Expr, monday_first: bool) -> exp.Expr:
    """%U / %W: (day of year + 6 - weekday) DIV 7, weekday counted from Sunday (U) or Monday (W)."""
    weekday = (
        exp.Anonymous(this="WEEKDAY", expressions=[ts.copy()]) if monday_first else exp.Paren(this=_dow(ts))
    )
    days = exp.Sub(
        this=exp.Add(this=exp.DayOfYear(this=ts.copy()), expression=exp.Literal.number(6)), expression=weekday
    )
    return _lpad(exp.IntDiv(this=exp.Paren(this=days), expression=exp.Literal.number(7)), 2)


_EXPRESSIONS: dict[str, Callable[[exp.Expr], exp.Expr]] = {
    "w": lambda ts: exp.cast(_dow(ts), exp.DType.VARCHAR),
    "u": lambda ts: exp.cast(
        exp.Add(
            this=exp.Anonymous(this="WEEKDAY", expressions=[ts.copy()]), expression=exp.Literal.number(1)
        ),
        exp.DType.VARCHAR,
    ),
    "V": lambda ts: _lpad(exp.WeekOfYear(this=ts.copy()), 2),
    "G": lambda ts: _lpad(exp.Extract(this=exp.var("YEAROFWEEK"), expression=ts.copy()), 4),
    "-y": lambda ts: exp.cast(
        exp.Mod(this=exp.Year(this=ts.copy()), expression=exp.Literal.number(100)), exp.DType.VARCHAR
    ),
    "U": lambda ts: _week_number(ts, monday_first=False),
    "W": lambda ts: _week_number(ts, monday_first=True),
}
"""DuckDB codes Spark patterns cannot produce -> an expression of the timestamp giving the same text."""

_TOKEN = re.compile(r"%(-?.)|([^%]+)|(%)$")
_PLAIN = re.compile(r"[\s\-:./,_+]*")


class FormatError(ValueError):
    """The format uses a code with no Spark equivalent."""


def supported_codes() -> frozenset[str]:
    return frozenset(_PATTERNS) | frozenset(_EXPRESSIONS) | {"%"}


def to_spark_pieces(fmt: str) -> list[str | Callable[[exp.Expr], exp.Expr]]:
    """Split ``fmt`` into Spark patterns (str) and expression builders, in order.

    Raises FormatError for codes Spark cannot express (``%z``, ``%Z`` and unknown codes).
    """
    pieces: list[str | Callable[[exp.Expr], exp.Expr]] = []
    pattern = ""
    for match in _TOKEN.finditer(fmt):
        code, text, trailing = match.groups()
        if trailing:
            raise FormatError("a format cannot end with a lone '%'")
        if text is not None:
            pattern += _quote(text)
        elif code == "%":
            pattern += "%"
        elif code in _PATTERNS:
            pattern += _PATTERNS[code]
        elif code in _EXPRESSIONS:
            if pattern:
                pieces.append(pattern)
                pattern = ""
            pieces.append(_EXPRESSIONS[code])
        else:
            raise FormatError(f"strftime code %{code} has no Spark equivalent")
    if pattern or not pieces:
        pieces.append(pattern)
    return pieces


def _quote(text: str) -> str:
    """Literal text for a Spark pattern: quoted unless it is only spaces and punctuation."""
    if _PLAIN.fullmatch(text):
        return text
    return "'" + text.replace("'", "''") + "'"
