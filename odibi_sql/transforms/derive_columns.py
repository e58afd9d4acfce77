"""derive_columns: add columns, or replace existing ones, computed from SQL expressions.

YAML::

    transform:
      - derive_columns:
          columns:
            amount_eur: "amount * 0.92"
            status: "upper(status)"

Expressions are SQL in DuckDB syntax, translated for the target. A name that exists upstream
(compared case-insensitively, as both engines do) is replaced in place, keeping the column order;
new names are appended in the order given. Every expression sees the upstream columns only, as in
one SELECT: to build on a derived column, add a second ``derive_columns`` step. Unknown columns in
an expression are reported with a suggestion.

DuckDB::

    SELECT "id", UPPER(status) AS "status", "amount", amount * 0.92 AS "amount_eur" FROM "prev"

Spark::

    SELECT `id`, UPPER(status) AS `status`, `amount`, amount * 0.92 AS `amount_eur` FROM `prev`

Dialects: all; how far a DuckDB function carries to Spark is sqlglot's translation plus the Spark
lowering step.

This module also holds the helpers other transforms share: ``with_columns`` (the add-or-replace
rule above), ``check_references`` and ``check_names``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError


class DeriveColumnsTransform(Transform):
    name = "derive_columns"
    columns: dict[str, str] = Field(description="Output column -> SQL expression over the upstream columns.")

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("columns must name at least one column to derive")
        check_names(value, "columns")
        for out, sql in value.items():
            if not sql.strip():
                raise ValueError(f'the expression of column "{out}" is empty')
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        derived: dict[str, exp.Expression] = {}
        for out, sql in self.columns.items():
            what = f'expression of column "{out}"'
            expression = ctx.parse_expression(sql, what)
            check_references(ctx, expression, what, derived_here=self.columns)
            derived[out] = expression
        return exp.select(*with_columns(ctx, derived)).from_(ctx.table())


def with_columns(ctx: TransformContext, new: Mapping[str, exp.Expression]) -> list[exp.Expression]:
    """Every upstream column in order; a ``new`` name that exists upstream replaces it in place,
    the other new names are appended in order. Names match case-insensitively."""
    by_key = {name.lower(): name for name in new}
    out: list[exp.Expression] = []
    placed: set[str] = set()
    for name in ctx.columns:
        key = name.lower()
        if key in by_key and key not in placed:
            placed.add(key)
            out.append(exp.alias_(new[by_key[key]], by_key[key], quoted=True))
        else:
            out.append(exp.column(name, quoted=True))
    out.extend(exp.alias_(e, name, quoted=True) for name, e in new.items() if name.lower() not in placed)
    return out


def check_references(
    ctx: TransformContext,
    expression: exp.Expression,
    what: str,
    derived_here: Collection[str] = (),
    hint: str | None = None,
) -> None:
    """Raise a TransformError naming ``what`` when ``expression`` reads a column that is not upstream.

    Only unqualified column references outside subqueries are checked; lambda parameters are skipped.
    """
    known = {name.lower() for name in ctx.columns}
    bound = {p.name.lower() for lam in expression.find_all(exp.Lambda) for p in lam.expressions}
    derived = {name.lower() for name in derived_here}
    for column in expression.find_all(exp.Column):
        name = column.name
        key = name.lower()
        if column.table or not name or key in known or key in bound or column.find_ancestor(exp.Query):
            continue
        if key in derived:
            raise TransformError(
                f'{what} uses "{name}", which is derived in the same step',
                hint="each expression sees the upstream columns only; derive it in an earlier step",
            )
        try:
            ctx.require(name)
        except TransformError as err:
            raise TransformError(f"{what}: {err.message}", hint or err.hint) from None


def check_names(names: Collection[str], field: str) -> None:
    """Names are non-empty and unique, ignoring case (for pydantic validators: raises ValueError)."""
    seen: dict[str, str] = {}
    for name in names:
        if not name or not name.strip():
            raise ValueError(f"{field} contains an empty column name")
        if name.lower() in seen:
            raise ValueError(
                f'{field} names "{seen[name.lower()]}" and "{name}": column names must be unique'
            )
        seen[name.lower()] = name


TRANSFORM = DeriveColumnsTransform
