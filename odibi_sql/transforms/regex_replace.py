"""regex_replace: replace the matches of a regular expression in a text column.

YAML::

    transform:
      - regex_replace: {column: phone, pattern: "[^0-9]", replacement: "", as: phone_digits}
      - regex_replace: {column: code, pattern: "^(\\w+)-(\\w+)$", replacement: "\\2-\\1", all: false}

DuckDB: ``SELECT "id", "phone", REGEXP_REPLACE("phone", '[^0-9]', '', 'g') AS "phone_digits" FROM "prev"``
Spark:  ``SELECT `id`, `phone`, REGEXP_REPLACE(`phone`, '[^0-9]', '') AS `phone_digits` FROM `prev```

Dialects: all, with the canonical (DuckDB) meaning: ``all: true`` (the default) replaces every
match, ``all: false`` only the first. Spark's ``regexp_replace`` always replaces every match, so
``all: false`` relies on the Spark lowering step. Write the pattern in the syntax shared by RE2
(DuckDB) and Java (Spark) regexes, and refer to groups in the replacement as ``\\1`` (DuckDB
syntax; the Spark lowering turns it into ``$1``). Without ``as`` the column is replaced in place;
an ``as`` naming an existing column replaces that column. NULL stays NULL. A column that is not
text is cast to text first.
"""

from __future__ import annotations

from pydantic import Field
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.cast_columns import is_text, upstream_type
from odibi_sql.transforms.derive_columns import with_columns


class RegexReplaceTransform(Transform):
    name = "regex_replace"
    column: str
    pattern: str = Field(min_length=1)
    """Regular expression (RE2/Java common syntax)."""
    replacement: str
    """Replacement text; ``\\1`` refers to the first group."""
    all: bool = True
    """Replace every match (default) or only the first."""
    as_: str | None = Field(None, alias="as", min_length=1)
    """Output column; default: replace ``column`` in place."""

    def apply(self, ctx: TransformContext) -> exp.Select:
        source: exp.Expression = ctx.column(self.column)
        dtype = upstream_type(ctx, self.column)
        if dtype is not None and not is_text(dtype):
            source = exp.cast(source, exp.DataType.build("varchar", dialect="duckdb"))
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
