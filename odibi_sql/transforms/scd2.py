"""scd2: build type-2 history (one row per version) from a stream of snapshots.

YAML::

    transform:
      - scd2:
          keys: [customer_id]
          effective_column: updated_at          # when each row's values became true
          tracked_columns: [city, segment]      # default: every column but keys and effective_column
          valid_from: valid_from                # output names (these are the defaults)
          valid_to: valid_to
          is_current: is_current

The input is every observed row of every key (e.g. all daily snapshots, or a change feed). For
each key, rows are ordered by ``effective_column``; a row starts a new version when a tracked
column differs from the previous row (NULLs compare as values: NULL -> NULL is no change, NULL
-> 'x' is). Consecutive rows with identical tracked values collapse into one version, but a value
that comes back after a change is a new version. Output: one row per version with the upstream
columns of the row that started it, ``valid_from`` (its effective time), ``valid_to`` (the next
version's ``valid_from``, NULL for the current version) and ``is_current``.

The history is rebuilt in full from the input on every run: feed it the complete history (for
instance an append-only bronze table) and materialize the result as a table. It does not read
the previous output and does not close versions of keys that disappear from the input. Rows whose
``effective_column`` is NULL are ignored. Two rows of one key with the same effective time are
ordered by their tracked values (so the result is deterministic); if they differ, the first one
becomes a version with ``valid_from = valid_to``: deduplicate first to avoid that.

DuckDB::

    SELECT "customer_id", "city", "updated_at", "updated_at" AS "valid_from",
      LEAD("updated_at") OVER (PARTITION BY "customer_id" ORDER BY "updated_at", "city") AS "valid_to",
      LEAD("updated_at") OVER (PARTITION BY "customer_id" ORDER BY "updated_at", "city") IS NULL
        AS "is_current"
    FROM (
      SELECT *, CASE WHEN ROW_NUMBER() OVER (PARTITION BY "customer_id" ORDER BY "updated_at", "city") = 1
                THEN TRUE ELSE LAG("city") OVER (...) IS DISTINCT FROM "city" END AS "__changed"
      FROM "src" WHERE NOT "updated_at" IS NULL
    ) AS "__changes" WHERE "__changed"

Spark: the same with backticks (``IS DISTINCT FROM`` is valid Spark SQL; ORDER BY terms get an
explicit ``NULLS LAST`` so ties on NULL tracked values order as on DuckDB).

Dialects: all.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError


class Scd2Transform(Transform):
    name = "scd2"

    keys: list[str] = Field(min_length=1, description="Columns identifying an entity.")
    effective_column: str = Field(min_length=1, description="When each row's values became true.")
    tracked_columns: list[str] | None = Field(
        default=None, min_length=1, description="Columns whose change starts a new version (default: all)."
    )
    valid_from: str = Field(default="valid_from", min_length=1)
    valid_to: str = Field(default="valid_to", min_length=1)
    is_current: str = Field(default="is_current", min_length=1)

    @field_validator("keys", "tracked_columns")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("a column is listed twice")
        return value

    @model_validator(mode="after")
    def _roles_do_not_overlap(self) -> Scd2Transform:
        if self.effective_column in self.keys:
            raise ValueError(f'"{self.effective_column}" cannot be both a key and the effective_column')
        tracked = set(self.tracked_columns or ())
        clash = sorted(tracked & {*self.keys, self.effective_column})
        if clash:
            raise ValueError(f"keys and effective_column cannot be tracked: {', '.join(clash)}")
        outputs = [self.valid_from.lower(), self.valid_to.lower(), self.is_current.lower()]
        if len(set(outputs)) != 3:
            raise ValueError("valid_from, valid_to and is_current need three different names")
        return self

    def apply(self, ctx: TransformContext) -> exp.Select:
        ctx.require(*self.keys, self.effective_column)
        if self.tracked_columns is not None:
            ctx.require(*self.tracked_columns)
            tracked = list(self.tracked_columns)
        else:
            tracked = [c for c in ctx.columns if c not in self.keys and c != self.effective_column]
        for out in (self.valid_from, self.valid_to, self.is_current):
            clash = next((c for c in ctx.columns if c.lower() == out.lower()), None)
            if clash is not None:
                raise TransformError(
                    f'output column "{out}" already exists upstream ("{clash}")',
                    hint="set valid_from / valid_to / is_current to other names, or rename the column first",
                )
        changed = ctx.fresh_name("changed")
        effective = exp.column(self.effective_column, quoted=True)

        def history(function: exp.Expression, *tiebreak: str) -> exp.Window:
            order = [exp.Ordered(this=effective.copy(), nulls_first=False)]
            order += [exp.Ordered(this=exp.column(c, quoted=True), nulls_first=False) for c in tiebreak]
            return exp.Window(
                this=function,
                partition_by=[exp.column(k, quoted=True) for k in self.keys],
                order=exp.Order(expressions=order),
                over="OVER",
            )

        first_row = history(exp.RowNumber(), *tracked).eq(1)
        differs = [
            exp.NullSafeNEQ(
                this=history(exp.Lag(this=exp.column(c, quoted=True)), *tracked),
                expression=exp.column(c, quoted=True),
            )
            for c in tracked
        ]
        any_differs = exp.or_(*differs) if differs else exp.false()
        is_change = exp.case().when(first_row, exp.true()).else_(any_differs)
        changes = (
            exp.select(exp.Star(), exp.alias_(is_change, changed, quoted=True))
            .from_(ctx.table())
            .where(effective.copy().is_(exp.null()).not_(), copy=False)
        )
        next_start = history(exp.Lead(this=effective.copy()), *tracked)
        projections = [
            *(exp.column(c, quoted=True) for c in ctx.columns),
            effective.copy().as_(self.valid_from, quoted=True),
            next_start.as_(self.valid_to, quoted=True),
            next_start.copy().is_(exp.null()).as_(self.is_current, quoted=True),
        ]
        return (
            exp.select(*projections)
            .from_(changes.subquery(exp.to_identifier(ctx.fresh_name("changes"), quoted=True), copy=False))
            .where(exp.column(changed, quoted=True), copy=False)
        )


TRANSFORM = Scd2Transform
