"""unpivot: turn columns into rows of (name, value).

YAML::

    transform:
      - unpivot:
          id_columns: [store_id]                  # kept on every output row
          value_columns: [jan, feb, mar]          # each becomes one row per input row
          name_column: month                      # default: name
          value_column: sales                     # default: value
          keep_nulls: false                       # default: rows whose value is NULL are dropped

Output columns: ``id_columns`` in order, then ``name_column`` (the column name as a string) and
``value_column``. Value columns of different types need a common one: numeric columns mix freely;
otherwise set ``value_type`` (every value is cast to it) or the step fails with a clear message.
Output rows have no particular order.

DuckDB::

    SELECT "store_id", "month", "sales" FROM (
      SELECT "store_id", "__labels"."__name" AS "month",
        CASE "__labels"."__name" WHEN 'jan' THEN "jan" WHEN 'feb' THEN "feb" END AS "sales"
      FROM "src" CROSS JOIN (VALUES ('jan'), ('feb')) AS "__labels"("__name")
    ) AS "__unpivoted" WHERE NOT "sales" IS NULL

Spark: the same with backticks; the VALUES list renders as an inline table
(``CROSS JOIN VALUES ('jan'), ('feb') AS `__labels`(`__name`)``). The portable form is used instead of the
UNPIVOT statement, whose short DuckDB syntax Spark does not accept.

Dialects: all.
"""

from __future__ import annotations

from pydantic import Field, model_validator
from sqlglot import exp
from sqlglot.errors import ParseError

from odibi_sql.transforms.base import Transform, TransformContext, TransformError


class UnpivotTransform(Transform):
    name = "unpivot"

    id_columns: list[str] = Field(default_factory=list, description="Columns kept on every row.")
    value_columns: list[str] = Field(min_length=1, description="Columns turned into rows.")
    name_column: str = Field(default="name", min_length=1, description="Output column of the names.")
    value_column: str = Field(default="value", min_length=1, description="Output column of the values.")
    value_type: str | None = Field(
        default=None, min_length=1, description="Type every value is cast to (DuckDB type name)."
    )
    keep_nulls: bool = Field(default=False, description="Keep rows whose value is NULL.")

    @model_validator(mode="after")
    def _distinct_names(self) -> UnpivotTransform:
        outputs = [*self.id_columns, self.name_column, self.value_column]
        lowered = [o.lower() for o in outputs]
        dupes = sorted({o for o in outputs if lowered.count(o.lower()) > 1})
        if dupes:
            raise ValueError(f"output column names must be unique (case-insensitively): {', '.join(dupes)}")
        if len(set(self.value_columns)) != len(self.value_columns):
            raise ValueError("value_columns lists a column twice")
        overlap = sorted(set(self.id_columns) & set(self.value_columns))
        if overlap:
            raise ValueError(f"a column cannot be both an id and a value column: {', '.join(overlap)}")
        return self

    def apply(self, ctx: TransformContext) -> exp.Select:
        ctx.require(*self.id_columns, *self.value_columns)
        cast_to = self._value_type(ctx)
        label = ctx.fresh_name("name")
        labels_alias = ctx.fresh_name("labels")
        label_col = exp.column(label, table=labels_alias, quoted=True)
        ifs = []
        for name in self.value_columns:
            value: exp.Expression = exp.column(name, quoted=True)
            if cast_to is not None:
                value = exp.cast(value, cast_to)
            ifs.append(exp.If(this=exp.Literal.string(name), true=value))
        labels = exp.Values(
            expressions=[exp.tuple_(exp.Literal.string(name)) for name in self.value_columns],
            alias=exp.TableAlias(
                this=exp.to_identifier(labels_alias, quoted=True),
                columns=[exp.to_identifier(label, quoted=True)],
            ),
        )
        inner = (
            exp.select(
                *(exp.column(c, quoted=True) for c in self.id_columns),
                label_col.as_(self.name_column, quoted=True),
                exp.Case(this=label_col.copy(), ifs=ifs).as_(self.value_column, quoted=True),
            )
            .from_(ctx.table())
            .join(labels, join_type="CROSS")
        )
        outputs = [*self.id_columns, self.name_column, self.value_column]
        query = exp.select(*(exp.column(c, quoted=True) for c in outputs)).from_(
            inner.subquery(exp.to_identifier(ctx.fresh_name("unpivoted"), quoted=True), copy=False)
        )
        if not self.keep_nulls:
            query = query.where(exp.column(self.value_column, quoted=True).is_(exp.null()).not_(), copy=False)
        return query

    def _value_type(self, ctx: TransformContext) -> exp.DataType | None:
        if self.value_type is not None:
            try:
                return exp.DataType.build(self.value_type, dialect="duckdb")
            except (ParseError, ValueError):
                raise TransformError(f"value_type {self.value_type!r} is not a known type") from None
        known = {c: ctx.columns[c] for c in self.value_columns if ctx.columns[c] is not None}
        types = {}
        for column, type_name in known.items():
            try:
                types[column] = exp.DataType.build(type_name, dialect="duckdb")
            except (ParseError, ValueError):
                return None
        distinct = {t.sql("duckdb") for t in types.values()}
        if len(distinct) > 1 and not all(t.is_type(*exp.DataType.NUMERIC_TYPES) for t in types.values()):
            listing = ", ".join(f"{c} {t.sql('duckdb')}" for c, t in types.items())
            raise TransformError(
                f"value_columns have different types ({listing}); unpivot needs one value type",
                hint="set value_type (e.g. value_type: VARCHAR) or cast_columns before unpivot",
            )
        return None


TRANSFORM = UnpivotTransform
