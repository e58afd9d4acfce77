"""case_when: a column computed by the first matching condition, like SQL's CASE.

YAML::

    transform:
      - case_when:
          column: size_band
          cases:
            - {when: "amount >= 1000", then: "'large'"}
            - {when: "amount >= 100", then: "'medium'"}
          else: "'small'"

``when``, ``then`` and ``else`` are SQL expressions (DuckDB syntax), so text values need their
quotes: ``"'large'"`` (a bare word is a column name, and an unknown one is reported with this
hint). Numbers and booleans may be written as YAML scalars. Conditions are tried in order; a
condition that is NULL does not match; without ``else`` unmatched rows get NULL. ``column`` names
the output: an existing column is replaced in place, a new one is appended.

DuckDB::

    SELECT "id", "amount", CASE WHEN amount >= 1000 THEN 'large' WHEN amount >= 100 THEN 'medium' ELSE
    'small' END AS "size_band" FROM "prev"

Spark::

    SELECT `id`, `amount`, CASE WHEN amount >= 1000 THEN 'large' WHEN amount >= 100 THEN 'medium' ELSE
    'small' END AS `size_band` FROM `prev`

Dialects: all.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.derive_columns import check_references, with_columns

SqlValue = str | bool | int | float
_QUOTE_HINT = "text values are SQL expressions: quote them, e.g. then: \"'large'\""


class WhenThen(BaseModel):
    """One branch: the condition and the value (SQL expressions)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    when: SqlValue = Field(description="SQL condition.")
    then: SqlValue = Field(description="SQL value when the condition is true.")

    @field_validator("when", "then")
    @classmethod
    def _not_empty(cls, value: SqlValue) -> SqlValue:
        if isinstance(value, str) and not value.strip():
            raise ValueError("must be a SQL expression, not empty")
        return value


class CaseWhenTransform(Transform):
    name = "case_when"
    column: str = Field(min_length=1, description="Output column.")
    cases: list[WhenThen] = Field(min_length=1, description="Branches, tried in order.")
    else_: SqlValue | None = Field(
        default=None, alias="else", description="SQL value when no condition matches (default NULL)."
    )

    def apply(self, ctx: TransformContext) -> exp.Select:
        ifs = [
            exp.If(
                this=self._expression(ctx, case.when, f"cases[{i}].when"),
                true=self._expression(ctx, case.then, f"cases[{i}].then"),
            )
            for i, case in enumerate(self.cases)
        ]
        default = None if self.else_ is None else self._expression(ctx, self.else_, "else")
        node = exp.Case(ifs=ifs, default=default)
        return exp.select(*with_columns(ctx, {self.column: node})).from_(ctx.table())

    @staticmethod
    def _expression(ctx: TransformContext, value: SqlValue, what: str) -> exp.Expression:
        if not isinstance(value, str):
            return exp.convert(value)
        expression = ctx.parse_expression(value, what)
        check_references(ctx, expression, what, hint=_QUOTE_HINT)
        return expression


TRANSFORM = CaseWhenTransform
