r"""clean_text: tidy text columns in place: trim, change case, collapse whitespace, drop control characters.

YAML::

    transform:
      - clean_text:
          columns: [city]
          trim: true                   # the default: remove leading and trailing spaces
          case: lower                  # lower | upper; default: leave the case alone
          collapse_whitespace: true    # runs of spaces, tabs and line breaks become one space
          remove_non_printable: true   # drop control characters (U+0000-U+001F, U+007F-U+009F)

The steps run in the order collapse, remove, trim, case. TRIM removes spaces only (on both
engines); tabs and line breaks are handled by ``collapse_whitespace`` (or removed as control
characters). NULL stays NULL. The columns must be text: cast others first with ``cast_columns``.

DuckDB::

    SELECT "id", LOWER(TRIM(REGEXP_REPLACE(REGEXP_REPLACE("city", '[\x09-\x0D ]+', ' ', 'g'),
    '[\x00-\x1F\x7F-\x9F]', '', 'g'))) AS "city" FROM "prev"

Spark::

    SELECT `id`, LOWER(TRIM(REGEXP_REPLACE(REGEXP_REPLACE(`city`, '[\\x09-\\x0D ]+', ' '),
    '[\\x00-\\x1F\\x7F-\\x9F]', ''))) AS `city` FROM `prev`

Dialects: all. The patterns use only regex syntax that RE2 (DuckDB) and Java (Spark) read alike,
and Spark's regexp_replace replaces every match, as the 'g' modifier asks.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError, star_except
from odibi_sql.transforms.cast_columns import is_text, type_label, upstream_type
from odibi_sql.transforms.derive_columns import check_names

WHITESPACE_RUN = r"[\x09-\x0D ]+"
NON_PRINTABLE = r"[\x00-\x1F\x7F-\x9F]"


class CleanTextTransform(Transform):
    name = "clean_text"
    columns: list[str] = Field(description="The text columns to clean, in place.")
    trim: bool = Field(default=True, description="Remove leading and trailing spaces.")
    case: Literal["lower", "upper"] | None = Field(default=None, description="Change the case.")
    collapse_whitespace: bool = Field(default=False, description="Runs of whitespace become one space.")
    remove_non_printable: bool = Field(default=False, description="Drop control characters.")

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("columns must list at least one text column to clean")
        check_names(value, "columns")
        return value

    @model_validator(mode="after")
    def _check_something_to_do(self) -> CleanTextTransform:
        if not (self.trim or self.case or self.collapse_whitespace or self.remove_non_printable):
            raise ValueError("nothing to do: enable trim, case, collapse_whitespace or remove_non_printable")
        return self

    def apply(self, ctx: TransformContext) -> exp.Select:
        replaced: dict[str, exp.Expression] = {}
        for column in self.columns:
            node: exp.Expression = ctx.column(column)
            dtype = upstream_type(ctx, column)
            if dtype is not None and not is_text(dtype):
                raise TransformError(
                    f'clean_text works on text columns; "{column}" is {type_label(dtype)}',
                    hint=f"cast it first: cast_columns: {{columns: {{{column}: varchar}}}}",
                )
            if self.collapse_whitespace:
                node = replace_all(node, WHITESPACE_RUN, " ")
            if self.remove_non_printable:
                node = replace_all(node, NON_PRINTABLE, "")
            if self.trim:
                node = exp.Trim(this=node)
            if self.case == "lower":
                node = exp.Lower(this=node)
            elif self.case == "upper":
                node = exp.Upper(this=node)
            replaced[column] = node
        return exp.select(*star_except(ctx, replaced)).from_(ctx.table())


def replace_all(node: exp.Expression, pattern: str, replacement: str) -> exp.RegexpReplace:
    """REGEXP_REPLACE of every match, as sqlglot parses DuckDB's ``regexp_replace(x, p, r, 'g')``."""
    return exp.RegexpReplace(
        this=node,
        expression=exp.Literal.string(pattern),
        replacement=exp.Literal.string(replacement),
        modifiers=exp.Literal.string("g"),
        single_replace=True,
    )


TRANSFORM = CleanTextTransform
