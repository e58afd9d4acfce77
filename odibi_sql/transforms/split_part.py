"""split_part: the n-th piece of a text column split on a delimiter.

YAML::

    transform:
      - split_part: {column: full_name, delimiter: " ", index: 1, as: first_name}

``index`` is 1-based; a negative index counts from the end (-1 is the last piece). The delimiter
is plain text, not a regex. An index past the last piece gives an empty string; NULL stays NULL.
Without ``as`` the column is replaced in place; an ``as`` naming an existing column replaces that
column, a new name is appended. A column that is not text is cast to text first.

DuckDB::

    SELECT "id", "full_name", SPLIT_PART("full_name", ' ', 1) AS "first_name" FROM "prev"

Spark::

    SELECT `id`, `full_name`, SPLIT_PART(`full_name`, ' ', 1) AS `first_name` FROM `prev`

Dialects: DuckDB; Spark 3.3 or later (``split_part``, same results for positive and negative
indexes and out-of-range pieces).
"""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.cast_columns import is_text, parse_type, upstream_type
from odibi_sql.transforms.derive_columns import with_columns


class SplitPartTransform(Transform):
    name = "split_part"
    column: str = Field(min_length=1, description="The text column to split.")
    delimiter: str = Field(min_length=1, description="Plain-text delimiter.")
    index: int = Field(description="1-based position of the piece; negative counts from the end.")
    as_: str | None = Field(
        default=None, alias="as", min_length=1, description="Output column (default: replace in place)."
    )

    @field_validator("index")
    @classmethod
    def _check_index(cls, value: int) -> int:
        if value == 0:
            raise ValueError("index is 1-based: use 1 for the first piece, -1 for the last")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        source: exp.Expression = ctx.column(self.column)
        dtype = upstream_type(ctx, self.column)
        if dtype is not None and not is_text(dtype):
            source = exp.cast(source, parse_type("varchar"))
        piece = exp.SplitPart(
            this=source,
            delimiter=exp.Literal.string(self.delimiter),
            part_index=exp.Literal.number(self.index),
        )
        return exp.select(*with_columns(ctx, {self.as_ or self.column: piece})).from_(ctx.table())


TRANSFORM = SplitPartTransform
