r"""regex_replace: replace the matches of a regular expression in a text column.

YAML::

    transform:
      - regex_replace: {column: phone, pattern: "[^0-9]", replacement: "", as: phone_digits}
      - regex_replace: {column: code, pattern: '^(\w+)-(\w+)$', replacement: '\2-\1', all: false}

``all: true`` (the default) replaces every match, ``all: false`` only the first. Write the pattern
in the syntax RE2 (DuckDB) and Java (Spark) share, and refer to groups in the replacement as
``\1`` (DuckDB's syntax). Without ``as`` the column is replaced in place; an ``as`` naming an
existing column replaces that column, a new name is appended. NULL stays NULL; a column that is
not text is cast to text first.

DuckDB::

    SELECT "id", "phone", REGEXP_REPLACE("phone", '[^0-9]', '', 'g') AS "phone_digits" FROM "prev"

Spark::

    SELECT `id`, `phone`, REGEXP_REPLACE(`phone`, '[^0-9]', '') AS `phone_digits` FROM `prev`

Dialects: all, with two jobs for the Spark lowering step: Spark's regexp_replace always replaces
every match, so ``all: false`` must be rewritten (the node carries ``single_replace`` without the
'g' modifier), and Spark's replacement syntax is ``$1``, not ``\1`` (and treats ``$`` specially).
"""

from __future__ import annotations

from pydantic import Field
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.cast_columns import is_text, parse_type, upstream_type
from odibi_sql.transforms.derive_columns import with_columns


class RegexReplaceTransform(Transform):
    name = "regex_replace"
    column: str = Field(min_length=1, description="The text column.")
    pattern: str = Field(min_length=1, description="Regular expression (syntax shared by RE2 and Java).")
    replacement: str = Field(description="Replacement text; \\1 is the first group.")
    all: bool = Field(default=True, description="Replace every match (default) or only the first.")
    as_: str | None = Field(
        default=None, alias="as", min_length=1, description="Output column (default: replace in place)."
    )

    def apply(self, ctx: TransformContext) -> exp.Select:
        source: exp.Expression = ctx.column(self.column)
        dtype = upstream_type(ctx, self.column)
        if dtype is not None and not is_text(dtype):
            source = exp.cast(source, parse_type("varchar"))
        # The node sqlglot parses from DuckDB's regexp_replace: single_replace marks DuckDB's
        # first-match default, the 'g' modifier asks for every match.
        replaced = exp.RegexpReplace(
            this=source,
            expression=exp.Literal.string(self.pattern),
            replacement=exp.Literal.string(self.replacement),
            single_replace=True,
        )
        if self.all:
            replaced.set("modifiers", exp.Literal.string("g"))
        return exp.select(*with_columns(ctx, {self.as_ or self.column: replaced})).from_(ctx.table())


TRANSFORM = RegexReplaceTransform
