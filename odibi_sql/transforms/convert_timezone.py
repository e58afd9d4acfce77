"""convert_timezone: re-express wall-clock timestamps of one time zone in another.

YAML::

    transform:
      - convert_timezone: {column: order_ts, from_tz: UTC, to_tz: America/Sao_Paulo, as: order_ts_local}

The column holds timestamps without a time zone, read as local times of ``from_tz`` (default
UTC); the result holds the same instants as local times of ``to_tz``, again without a time zone,
with daylight saving time applied. Time zones are IANA names (``Europe/Paris``, ``UTC``), checked
against this machine's time zone database when it has one. A DATE is read as midnight. A column
that already has a time zone (TIMESTAMPTZ) is refused: use ``derive_columns`` with ``AT TIME
ZONE``. Without ``as`` the column is replaced in place. NULL gives NULL.

DuckDB::

    SELECT "id", "order_ts", CAST("order_ts" AS TIMESTAMP) AT TIME ZONE 'UTC' AT TIME ZONE
    'America/Sao_Paulo' AS "order_ts_local" FROM "prev"

Spark::

    SELECT `id`, `order_ts`, CONVERT_TIMEZONE('UTC', 'America/Sao_Paulo', `order_ts`) AS
    `order_ts_local` FROM `prev`

Dialects: DuckDB (ICU, built in); Spark 3.4 or later (``convert_timezone``, which returns a
TIMESTAMP_NTZ). The node is ``exp.ConvertTimezone``, not DuckDB's ``AT TIME ZONE`` chain, which
sqlglot mistranslates for Spark. Local times that do not exist or occur twice at a daylight-saving
change may resolve differently on the two engines.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.diagnostics import did_you_mean
from odibi_sql.transforms.base import Transform, TransformContext, TransformError
from odibi_sql.transforms.cast_columns import require_temporal, type_label
from odibi_sql.transforms.derive_columns import with_columns


class ConvertTimezoneTransform(Transform):
    name = "convert_timezone"

    column: str = Field(min_length=1, description="The timestamp column (without time zone).")
    from_tz: str = Field(default="UTC", description="IANA time zone the stored timestamps are local to.")
    to_tz: str = Field(description="IANA time zone to express them in.")
    as_: str | None = Field(
        default=None, alias="as", min_length=1, description="Output column (default: replace in place)."
    )

    @field_validator("from_tz", "to_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zones = _zones()
        if zones and value not in zones:
            raise ValueError(f'"{value}" is not an IANA time zone name.{did_you_mean(value, zones)}')
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        dtype = require_temporal(ctx, self.column, self.name)
        if dtype is not None and dtype.is_type(exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMPLTZ):
            raise TransformError(
                f'"{self.column}" already has a time zone ({type_label(dtype)})',
                hint="use derive_columns with \"<column> AT TIME ZONE '<zone>'\" instead",
            )
        converted = exp.ConvertTimezone(
            source_tz=exp.Literal.string(self.from_tz),
            target_tz=exp.Literal.string(self.to_tz),
            timestamp=ctx.column(self.column),
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
