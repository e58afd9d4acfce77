"""dict_based_mapping: translate the values of a column through a fixed dictionary.

YAML::

    transform:
      - dict_based_mapping:
          column: status
          mapping: {D: delivered, S: shipped, ~: unknown}   # a null key (~) maps NULL values
          default: other          # for unmapped values; or keep_unmapped: true; else NULL
          as: status_label

Keys and values are literals (text, numbers, booleans), never SQL. The values and ``default``
must all be text, all numbers or all booleans. On a text column, number and boolean keys are
compared as text (``1`` matches ``'1'``). Unmapped values become ``default``, or stay as they are
with ``keep_unmapped: true`` (cast to text when the values are text), or else NULL. Without ``as``
the column is replaced in place; an ``as`` naming an existing column replaces that column.

DuckDB::

    SELECT "id", "status", CASE WHEN "status" = 'D' THEN 'delivered' WHEN "status" = 'S' THEN 'shipped'
    WHEN "status" IS NULL THEN 'unknown' ELSE 'other' END AS "status_label" FROM "prev"

Spark::

    SELECT `id`, `status`, CASE WHEN `status` = 'D' THEN 'delivered' WHEN `status` = 'S' THEN 'shipped'
    WHEN `status` IS NULL THEN 'unknown' ELSE 'other' END AS `status_label` FROM `prev`

Dialects: all.
"""

from __future__ import annotations

from pydantic import Field, model_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.cast_columns import is_text, parse_type, upstream_type
from odibi_sql.transforms.derive_columns import with_columns

Scalar = bool | int | float | str


class DictBasedMappingTransform(Transform):
    name = "dict_based_mapping"
    column: str = Field(min_length=1, description="The column whose values are translated.")
    mapping: dict[Scalar | None, Scalar | None] = Field(
        min_length=1, description="Value -> replacement; a null key maps NULL values."
    )
    default: Scalar | None = Field(
        default=None, description="Replacement for unmapped values (default NULL)."
    )
    keep_unmapped: bool = Field(default=False, description="Leave unmapped values as they are.")
    as_: str | None = Field(
        default=None, alias="as", min_length=1, description="Output column (default: replace in place)."
    )

    @model_validator(mode="after")
    def _check_values(self) -> DictBasedMappingTransform:
        if self.keep_unmapped and self.default is not None:
            raise ValueError("set either default or keep_unmapped, not both")
        values = [*self.mapping.values(), self.default]
        kinds = {_kind(v) for v in values if v is not None}
        if len(kinds) > 1:
            raise ValueError(f"mapping values and default mix {' and '.join(sorted(kinds))}: use one type")
        return self

    def apply(self, ctx: TransformContext) -> exp.Select:
        source = ctx.column(self.column)
        text_column = is_text(upstream_type(ctx, self.column))
        ifs = []
        for key, value in self.mapping.items():
            if key is None:
                condition: exp.Expression = exp.Is(this=source.copy(), expression=exp.null())
            else:
                literal = exp.Literal.string(_as_text(key)) if text_column else exp.convert(key)
                condition = exp.EQ(this=source.copy(), expression=literal)
            ifs.append(exp.If(this=condition, true=exp.convert(value)))
        default: exp.Expression | None = None
        if self.keep_unmapped:
            default = source.copy()
            column_type = upstream_type(ctx, self.column)
            text_values = any(isinstance(v, str) for v in self.mapping.values())
            if text_values and column_type is not None and not text_column:
                default = exp.cast(default, parse_type("varchar"))
        elif self.default is not None:
            default = exp.convert(self.default)
        mapped = exp.Case(ifs=ifs, default=default)
        return exp.select(*with_columns(ctx, {self.as_ or self.column: mapped})).from_(ctx.table())


def _kind(value: Scalar) -> str:
    if isinstance(value, bool):
        return "booleans"
    return "numbers" if isinstance(value, int | float) else "text"


def _as_text(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


TRANSFORM = DictBasedMappingTransform
