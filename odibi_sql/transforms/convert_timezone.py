"""convert_timezone: re-express wall-clock timestamps of one time zone in another.

YAML::

    transform:
      - convert_timezone: {column: order_ts, from_tz: UTC, to_tz: America/Sao_Paulo, as: order_ts_local}

DuckDB: ``SELECT "id", "order_ts", CAST("order_ts" AS TIMESTAMP) AT TIME ZONE 'UTC' AT TIME ZONE
'America/Sao_Paulo' AS "order_ts_local" FROM "prev"``
Spark:  ``SELECT `id`, `order_ts`, CONVERT_TIMEZONE('UTC', 'America/Sao_Paulo', `order_ts`) AS
`order_ts_local` FROM `prev```

The column holds timestamps without a time zone, read as local times of ``from_tz`` (default
UTC); the result is the same instants as local times of ``to_tz``, again without a time zone. Time
zones are IANA names (``Europe/Paris``, ``UTC``); daylight saving time is applied. A column that
already has a time zone (TIMESTAMPTZ) is refused: use ``derive_columns`` with ``AT TIME ZONE``.
Without ``as`` the column is replaced in place. NULL gives NULL.

Dialects: DuckDB (ICU, built in); Spark 3.4 or later (``convert_timezone``, whose result type is
TIMESTAMP_NTZ). Local times that do not exist or repeat at a daylight-saving change may resolve
differently on the two engines.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.diagnostics import did_you_mean
from odibi_sql.transforms.base import Transform, TransformContext, TransformError
from odibi_sql.transforms.cast_columns import DATE_TYPES, TIMESTAMP_TYPES, type_label, upstream_type
from odibi_sql.transforms.derive_columns import with_columns


class ConvertTimezoneTransform(Transform):
    name = "convert_timezone"
    column: str
    from_tz: str = "UTC"
    """IANA time zone the stored timestamps are local to."""
    to_tz: str
    """IANA time zone to express them in."""
    as_: str | None = Field(None, alias="as", min_length=1)
    """Output column; default: replace ``column`` in place."""

    @field_validator("from_tz", "to_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zones = _zones()
        if zones and value not in zones:
            raise ValueError(f'"{value}" is not an IANA time zone name.{did_you_mean(value, zones)}')
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        source = ctx.column(self.column)
        dtype = upstream_type(ctx, self.column)
        if dtype is not None and dtype.is_type(exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMPLTZ):
            raise TransformError(
                f'"{self.column}" already has a time zone ({type_label(dtype)})',
                hint="use derive_columns with \"<column> AT TIME ZONE '<zone>'\" instead",
            )
        if dtype is not None and not dtype.is_type(*DATE_TYPES, *TIMESTAMP_TYPES):
            raise TransformError(
                f'convert_timezone needs a timestamp; "{self.column}" is {type_label(dtype)}',
                hint=f"cast it first: cast_columns: {{columns: {{{self.column}: timestamp}}}}",
            )
        converted = exp.ConvertTimezone(
            source_tz=exp.Literal.string(self.from_tz),
            target_tz=exp.Literal.string(self.to_tz),
            timestamp=source,
        )
        return exp.select(*with_columns(ctx, {self.as_ or self.column: converted})).from_(ctx.table())


@cache
def _zones() -> frozenset[str]:
    """IANA names known to this machine; empty (no check) when it has no time zone database."""
    try:
        zones = zoneinfo.available_timezones()
    except OSError:  # pragma: no cover - a broken tz database must not block compiling
        return frozenset()
    return frozenset(zones | {"UTC"}) if zones else frozenset()


TRANSFORM = ConvertTimezoneTransform
