"""Spark lowerings for dates and times: each fixes one measured DuckDB vs Spark difference.

Assumes the Spark session time zone is UTC (``session_settings`` in ``dialects/spark.yaml``).
"""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect import _strftime
from odibi_sql.dialect._types import NAIVE_TIMESTAMP_TYPES, ZONED_TIMESTAMP_TYPES, duck_type, is_type
from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.constructs import date_part
from odibi_sql.dialect.lowering import handles, snippet

_UNIT_ALIASES = {
    "YEAR": ("Y", "YR", "YRS", "YEAR", "YEARS"),
    "QUARTER": ("QUARTER", "QUARTERS"),
    "MONTH": ("MON", "MONS", "MONTH", "MONTHS"),
    "WEEK": ("W", "WEEK", "WEEKS", "WEEKOFYEAR", "YEARWEEK"),
    "DAY": ("D", "DAY", "DAYS", "DAYOFMONTH", "DOW", "ISODOW", "DOY", "DAYOFWEEK", "DAYOFYEAR"),
    "HOUR": ("H", "HR", "HRS", "HOUR", "HOURS"),
    "MINUTE": ("M", "MIN", "MINS", "MINUTE", "MINUTES"),
    "SECOND": ("S", "SEC", "SECS", "SECOND", "SECONDS", "EPOCH"),
    "MILLISECOND": ("MS", "MSEC", "MSECS", "MSECOND", "MSECONDS", "MILLISECOND", "MILLISECONDS"),
    "MICROSECOND": ("US", "USEC", "USECS", "USECOND", "USECONDS", "MICROSECOND", "MICROSECONDS"),
}
_UNITS = {alias: unit for unit, aliases in _UNIT_ALIASES.items() for alias in aliases}
_WHOLE_UNIT_DIFF = ("MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK")
"""Units for which DuckDB's date_sub (whole units elapsed) equals Spark's DATEDIFF(unit, ...)."""


def _unit(node: exp.Expr | None) -> str | None:
    """The canonical DuckDB date part named by a literal unit, or None."""
    if isinstance(node, exp.Var) or (isinstance(node, exp.Literal) and node.is_string):
        return _UNITS.get(node.name.upper())
    return None


def _trunc(value: exp.Expr, unit: str) -> exp.Expr:
    return exp.TimestampTrunc(this=value, unit=exp.var(unit))


@handles(exp.DateDiff)
def lower_date_diff_boundaries(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """date_diff / datediff: DuckDB counts unit boundaries crossed, Spark counts whole units.

    DuckDB: ``date_diff('month', DATE '2024-01-31', DATE '2024-02-01')`` is 1 (one month boundary);
    Spark's ``DATEDIFF(MONTH, ...)`` is 0 (no whole month). Truncating both operands to the unit
    makes Spark count boundaries too. DuckDB's 'week' counts day boundaries divided by 7, so both
    sides are truncated to the day. Microseconds need nothing; decades, centuries and other parts
    are left alone and reported by ``unsupported``.
    """
    if not isinstance(node, exp.DateDiff):
        return node
    unit = _unit(node.args.get("unit"))
    if unit is None or unit == "MICROSECOND":
        return node
    trunc_unit = "DAY" if unit == "WEEK" else unit
    end, start = node.this, node.expression
    if not (trunc_unit == "DAY" and is_type(end, frozenset({exp.DType.DATE}))):
        end = _trunc(end, trunc_unit)
    if not (trunc_unit == "DAY" and is_type(start, frozenset({exp.DType.DATE}))):
        start = _trunc(start, trunc_unit)
    return exp.DateDiff(this=end, expression=start, unit=exp.var(unit))


@handles(exp.Anonymous)
def lower_date_sub(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """date_sub(part, start, end): DuckDB's whole units elapsed; Spark's date_sub adds days.

    For units up to a week, Spark's ``DATEDIFF(unit, start, end)`` counts the same whole units.
    Months, quarters and years differ at month ends (DuckDB counts 2024-01-31 -> 2024-02-29 as a
    month) and are reported by ``unsupported``.
    """
    if not _is_date_sub(node):
        return node
    part, start, end = node.expressions
    unit = _unit(part)
    if unit not in _WHOLE_UNIT_DIFF:
        return node
    return exp.DateDiff(this=end, expression=start, unit=exp.var(unit))


def _dow_sunday_zero(value: exp.Expr) -> exp.Expr:
    return exp.Paren(this=exp.Sub(this=exp.DayOfWeek(this=value), expression=exp.Literal.number(1)))


def _dow_iso(value: exp.Expr) -> exp.Expr:
    weekday = exp.Anonymous(this="WEEKDAY", expressions=[value])
    return exp.Paren(this=exp.Add(this=weekday, expression=exp.Literal.number(1)))


_DOW_PARTS = {
    "DOW": _dow_sunday_zero,
    "DAYOFWEEK": _dow_sunday_zero,
    "WEEKDAY": _dow_sunday_zero,
    "ISODOW": _dow_iso,
}


@handles(exp.DayOfWeek, exp.DayOfWeekIso, exp.Extract, exp.Anonymous)
def lower_day_of_week(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """dayofweek / weekday / isodow: DuckDB numbers Sunday 0 (ISO: Monday 1 .. Sunday 7).

    Spark's DAYOFWEEK numbers Sunday 1 and its WEEKDAY numbers Monday 0, so DuckDB's
    ``dayofweek(x)`` / ``weekday(x)`` / ``extract(dow from x)`` become ``(DAYOFWEEK(x) - 1)`` and
    ``isodow(x)`` becomes ``(WEEKDAY(x) + 1)`` (sqlglot emits ``(DAYOFWEEK(x) % 7) + 1``, which is
    wrong for every day). ``date_part('dow', x)`` is handled the same way.
    """
    if isinstance(node, exp.DayOfWeek):
        return _dow_sunday_zero(node.this)
    if isinstance(node, exp.DayOfWeekIso):
        return _dow_iso(node.this)
    extracted = date_part(node)
    if extracted is not None and extracted[0] in _DOW_PARTS:
        return _DOW_PARTS[extracted[0]](extracted[1])
    if (
        isinstance(node, exp.Anonymous)
        and node.name.upper() in ("WEEKDAY", "ISODOW")
        and len(node.expressions) == 1
    ):
        return _DOW_PARTS[node.name.upper()](node.expressions[0])
    return node


@handles(exp.Dayname, exp.Monthname)
def lower_day_and_month_names(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """dayname / monthname: DuckDB gives full names ('Sunday', 'January'), Spark 4 abbreviations ('Sun', 'Jan').

    Rendered as ``DATE_FORMAT(x, 'EEEE')`` / ``DATE_FORMAT(x, 'MMMM')``.
    """
    pattern = {exp.Dayname: "EEEE", exp.Monthname: "MMMM"}.get(type(node))
    if pattern is None:
        return node
    return exp.Anonymous(this="DATE_FORMAT", expressions=[node.this, exp.Literal.string(pattern)])


def _as_at_time_zone(node: exp.Expr) -> exp.AtTimeZone | None:
    if isinstance(node, exp.AtTimeZone):
        return node
    if isinstance(node, exp.Anonymous) and node.name.lower() == "timezone" and len(node.expressions) == 2:
        zone, value = node.expressions
        return exp.AtTimeZone(this=value, zone=zone)
    return None


@handles(exp.AtTimeZone, exp.Anonymous)
def lower_at_time_zone(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """``ts AT TIME ZONE z`` / ``timezone(z, ts)``: the direction depends on the operand type.

    DuckDB: a TIMESTAMP (or DATE) is read as wall-clock time in ``z`` and becomes a TIMESTAMPTZ
    (the instant); a TIMESTAMPTZ becomes the TIMESTAMP showing the wall-clock time in ``z``. sqlglot
    emits ``FROM_UTC_TIMESTAMP`` for both, which shifts a TIMESTAMP the wrong way. With the session
    time zone at UTC, Spark's ``TO_UTC_TIMESTAMP(ts, z)`` is the first conversion and
    ``CAST(FROM_UTC_TIMESTAMP(ts, z) AS TIMESTAMP_NTZ)`` the second. An operand of unknown type is
    left alone and reported by ``unsupported``.
    """
    at = _as_at_time_zone(node)
    if at is None:
        return node
    operand = duck_type(at.this)
    if operand is None:
        return node
    if operand.this in ZONED_TIMESTAMP_TYPES:
        local = exp.Anonymous(this="FROM_UTC_TIMESTAMP", expressions=[at.this, at.args["zone"]])
        return exp.Cast(this=local, to=exp.DataType.build("TIMESTAMP_NTZ", dialect="spark"))
    if operand.this in NAIVE_TIMESTAMP_TYPES:
        return exp.Anonymous(this="TO_UTC_TIMESTAMP", expressions=[at.this, at.args["zone"]])
    return node


@handles(exp.TimeToStr)
def lower_strftime(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """strftime(ts, fmt): DuckDB's % codes translated to Spark datetime patterns, not sqlglot's mapping.

    sqlglot maps ``%j`` (day of year, 3 digits) to ``DD`` (wrong) and passes ``%w``, ``%u``, ``%U``,
    ``%W``, ``%V``, ``%G`` through unchanged. Codes with no Spark pattern become expressions
    concatenated with ``DATE_FORMAT`` pieces. A non-literal format, ``%z`` and ``%Z`` are left alone
    and reported by ``unsupported``.
    """
    if not isinstance(node, exp.TimeToStr):
        return node
    fmt = node.args.get("format")
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        return node
    try:
        pieces = _strftime.to_spark_pieces(fmt.name)
    except _strftime.FormatError:
        return node
    parts = [
        exp.Anonymous(this="DATE_FORMAT", expressions=[node.this.copy(), exp.Literal.string(piece)])
        if isinstance(piece, str)
        else piece(node.this)
        for piece in pieces
    ]
    return parts[0] if len(parts) == 1 else exp.Concat(expressions=parts)


# -- checks -----------------------------------------------------------------------------------------


def _is_date_sub(node: exp.Expr) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.lower() == "date_sub" and len(node.expressions) == 3


def check_temporal(node: exp.Expr, caps: Capabilities) -> str | None:
    """Date/time constructs the lowerings above leave alone because Spark cannot match DuckDB."""
    if isinstance(node, exp.DateDiff) and _unit(node.args.get("unit")) is None:
        part = node.args["unit"].sql("duckdb") if node.args.get("unit") else "(none)"
        return (
            f"{snippet(node)}: date part {part} has no Spark equivalent; use year, quarter, "
            "month, week, day, hour, minute, second, millisecond or microsecond"
        )
    if _is_date_sub(node) and _unit(node.expressions[0]) not in _WHOLE_UNIT_DIFF:
        return (
            f"{snippet(node)}: DuckDB's date_sub counts whole months/quarters/years with an "
            "end-of-month rule Spark does not have; use date_diff (counts boundaries) instead"
        )
    at = _as_at_time_zone(node)
    if at is not None:
        operand = duck_type(at.this)
        if operand is None or operand.this not in NAIVE_TIMESTAMP_TYPES | ZONED_TIMESTAMP_TYPES:
            return (
                f"{snippet(node)}: the type of {snippet(at.this, 40)} is unknown, and AT TIME ZONE "
                "converts a TIMESTAMP and a TIMESTAMPTZ in opposite directions; cast it explicitly"
            )
    if isinstance(node, exp.TimeToStr):
        return _check_strftime(node)
    return None


def _check_strftime(node: exp.TimeToStr) -> str | None:
    fmt = node.args.get("format")
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        return f"{snippet(node)}: a strftime format must be a string literal to be translated for Spark"
    try:
        _strftime.to_spark_pieces(fmt.name)
    except _strftime.FormatError as error:
        return f"{snippet(node)}: {error}"
    return None


_TIMESTAMP_NTZ = exp.DataType.build("TIMESTAMP_NTZ", dialect="spark")
_DATE_ONLY = frozenset({exp.DType.DATE})


@handles(exp.Add, exp.Sub)
def lower_date_interval_arithmetic(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """DATE ± INTERVAL and DATE - DATE: DuckDB's result types differ from Spark's.

    DuckDB: ``DATE + INTERVAL`` is a TIMESTAMP (Spark: a DATE, the time of day dropped) and
    ``DATE - DATE`` is a BIGINT count of days (Spark: an INTERVAL). Rendered as
    ``CAST(d AS TIMESTAMP_NTZ) + INTERVAL ...`` and ``DATEDIFF(a, b)`` (a BIGINT cast, as DuckDB).
    """
    if not isinstance(node, (exp.Add, exp.Sub)):
        return node
    left, right = node.this, node.expression
    if is_type(left, _DATE_ONLY) and isinstance(right, exp.Interval):
        node.set("this", exp.Cast(this=left, to=_TIMESTAMP_NTZ.copy()))
        return node
    if isinstance(node, exp.Add) and isinstance(left, exp.Interval) and is_type(right, _DATE_ONLY):
        node.set("expression", exp.Cast(this=right, to=_TIMESTAMP_NTZ.copy()))
        return node
    if isinstance(node, exp.Sub) and is_type(left, _DATE_ONLY) and is_type(right, _DATE_ONLY):
        days = exp.Anonymous(this="DATEDIFF", expressions=[left, right])
        return exp.Cast(this=days, to=exp.DataType.build("BIGINT"))
    return node


@handles(exp.TimestampTrunc, exp.DateTrunc)
def lower_timestamp_trunc(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """date_trunc(part, x): DuckDB returns a TIMESTAMP for a DATE or TIMESTAMP; Spark's DATE_TRUNC
    returns a TIMESTAMP with local time zone. Rendered as ``CAST(DATE_TRUNC(part, x) AS TIMESTAMP_NTZ)``
    (the session time zone is UTC, so the wall-clock value is kept); a TIMESTAMPTZ needs nothing."""
    if not isinstance(node, (exp.TimestampTrunc, exp.DateTrunc)) or isinstance(node.parent, exp.DateDiff):
        return node
    if not is_type(node.this, NAIVE_TIMESTAMP_TYPES):
        return node
    if isinstance(node.parent, exp.Cast):
        return node
    return exp.Cast(this=node, to=_TIMESTAMP_NTZ.copy())


@handles(exp.StrToTime)
def lower_strptime(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """strptime(text, fmt): DuckDB returns a TIMESTAMP; Spark's TO_TIMESTAMP one with local time zone.
    Rendered as ``CAST(TO_TIMESTAMP(text, fmt) AS TIMESTAMP_NTZ)`` (session time zone UTC)."""
    if not isinstance(node, exp.StrToTime) or isinstance(node.parent, exp.Cast):
        return node
    return exp.Cast(this=node, to=_TIMESTAMP_NTZ.copy())


def _extracted(node: exp.Expr) -> tuple[str, exp.Expr] | None:
    """(part, value) of ``extract(part FROM value)``, ``date_part('part', value)`` or ``epoch(value)``."""
    if isinstance(node, exp.TimeToUnix):
        return "EPOCH", node.this
    return date_part(node)


def _unix_micros(value: exp.Expr) -> exp.Expr:
    """Microseconds since 1970-01-01 UTC of a DATE, TIMESTAMP (read at UTC) or TIMESTAMPTZ."""
    instant = exp.Cast(this=value.copy(), to=exp.DataType.build("TIMESTAMPTZ"))
    return exp.Anonymous(this="UNIX_MICROS", expressions=[instant])


@handles(exp.TimeToUnix, exp.Extract, exp.Anonymous)
def lower_seconds_parts(node: exp.Expr, caps: Capabilities) -> exp.Expr:
    """The epoch and second parts, which Spark's EXTRACT lacks or counts with fractions.

    DuckDB's ``epoch(x)`` / ``extract(epoch FROM x)`` is the DOUBLE number of seconds since 1970
    (with microseconds); Spark has no EPOCH part. Its ``extract(second ...)`` is the whole
    seconds (BIGINT), Spark's a DECIMAL with the fraction; ``millisecond`` / ``microsecond``
    count the seconds too (59.5 s is 59500 ms). Rendered from ``UNIX_MICROS(CAST(x AS
    TIMESTAMP))`` (epoch: divided by 1e6 as DOUBLE) and ``EXTRACT(SECOND FROM x)`` (scaled, cast
    to BIGINT); the session time zone is UTC.
    """
    found = _extracted(node)
    if found is None:
        return node
    part, value = found
    if part == "EPOCH":
        micros = exp.Cast(this=_unix_micros(value), to=exp.DataType.build("DOUBLE"))
        return exp.paren(exp.Div(this=micros, expression=exp.Literal.number(1_000_000), typed=True))
    scale = {"SECOND": 1, "SECONDS": 1, "MILLISECOND": 1_000, "MILLISECONDS": 1_000}.get(part)
    scale = scale or {"MICROSECOND": 1_000_000, "MICROSECONDS": 1_000_000}.get(part)
    if scale is None:
        return node
    seconds: exp.Expr = exp.Extract(this=exp.var("SECOND"), expression=value.copy())
    if scale > 1:
        seconds = exp.Mul(this=seconds, expression=exp.Literal.number(scale))
    return exp.Cast(this=seconds, to=exp.DataType.build("BIGINT"))
