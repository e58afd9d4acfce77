"""validate_and_flag: check every row against named rules and record which rules it fails.

YAML::

    transform:
      - validate_and_flag:
          rules:                                   # rule name -> condition that valid rows satisfy
            amount_positive: "amount > 0"
            known_status: "status in ('created', 'shipped')"
          flag_column: failed_rules                # the default

Every row is kept. ``flag_column`` lists the names of the rules the row fails, in rule order,
joined by ``", "`` (``"amount_positive, known_status"``); it is NULL when the row passes every
rule. A rule fails when its condition is false *or NULL*: a NULL amount does not prove
``amount > 0``, so write ``amount is null or amount > 0`` to let NULLs pass. Conditions are SQL
(DuckDB syntax) over the upstream columns. Split the rows afterwards with ``filter_rows``:
``failed_rules is null`` keeps the clean rows, ``failed_rules is not null`` the quarantine. An
existing ``flag_column`` is replaced in place.

DuckDB::

    SELECT "id", "amount", "status", NULLIF(CONCAT_WS(', ', CASE WHEN amount > 0 THEN NULL ELSE
    'amount_positive' END, CASE WHEN status IN ('created', 'shipped') THEN NULL ELSE 'known_status'
    END), '') AS "failed_rules" FROM "prev"

Spark::

    SELECT `id`, `amount`, `status`, NULLIF(CONCAT_WS(', ', CASE WHEN amount > 0 THEN NULL ELSE
    'amount_positive' END, CASE WHEN status IN ('created', 'shipped') THEN NULL ELSE 'known_status'
    END), '') AS `failed_rules` FROM `prev`

Dialects: all (CONCAT_WS skips NULLs on both engines).
"""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.derive_columns import check_references, with_columns

SEPARATOR = ", "


class ValidateAndFlagTransform(Transform):
    name = "validate_and_flag"
    rules: dict[str, str] = Field(description="Rule name -> SQL condition that valid rows satisfy.")
    flag_column: str = Field(
        default="failed_rules", min_length=1, description="Output column listing the failed rules."
    )

    @field_validator("rules")
    @classmethod
    def _check_rules(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("rules must define at least one rule (name: condition)")
        for rule, condition in value.items():
            if not rule.strip():
                raise ValueError("rule names must not be empty")
            if not condition.strip():
                raise ValueError(f'the condition of rule "{rule}" is empty')
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        failures: list[exp.Expression] = []
        for rule, sql in self.rules.items():
            what = f'condition of rule "{rule}"'
            condition = ctx.parse_expression(sql, what)
            check_references(ctx, condition, what)
            failures.append(
                exp.Case(ifs=[exp.If(this=condition, true=exp.null())], default=exp.Literal.string(rule))
            )
        # As sqlglot parses DuckDB's concat_ws: NULL arguments are skipped, not propagated.
        listed = exp.ConcatWs(
            expressions=[exp.Literal.string(SEPARATOR), *failures], safe=True, coalesce=True
        )
        flag = exp.Nullif(this=listed, expression=exp.Literal.string(""))
        return exp.select(*with_columns(ctx, {self.flag_column: flag})).from_(ctx.table())


TRANSFORM = ValidateAndFlagTransform
