"""rename_columns: give columns new names, keeping their order.

YAML::

    transform:
      - rename_columns: {columns: {cust_id: customer_id, ts: order_ts}}

All renames happen at once, so two columns can swap names. A new name that equals (ignoring case)
the name of another column in the result is an error: drop or rename that column too.

DuckDB::

    SELECT "cust_id" AS "customer_id", "ts" AS "order_ts", "amount" FROM "prev"

Spark::

    SELECT `cust_id` AS `customer_id`, `ts` AS `order_ts`, `amount` FROM `prev`

Dialects: all.
"""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError
from odibi_sql.transforms.derive_columns import check_names


class RenameColumnsTransform(Transform):
    name = "rename_columns"
    columns: dict[str, str] = Field(description="Current name -> new name.")

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("columns must map at least one column to its new name")
        check_names(value.values(), "the new names")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        ctx.require(*self.columns)
        final: dict[str, tuple[str, str]] = {}
        for column in ctx.columns:
            new = self.columns.get(column, column)
            clash = final.get(new.lower())
            if clash is not None:
                raise TransformError(
                    f'after renaming, two columns share the name "{new}" (names ignore case): '
                    f"{_describe(*clash)} and {_describe(column, new)}",
                    hint="rename or drop one of them as well",
                )
            final[new.lower()] = (column, new)
        projections = [
            exp.alias_(exp.column(c, quoted=True), self.columns[c], quoted=True)
            if c in self.columns and self.columns[c] != c
            else exp.column(c, quoted=True)
            for c in ctx.columns
        ]
        return exp.select(*projections).from_(ctx.table())


def _describe(old: str, new: str) -> str:
    return f'"{old}" (renamed to "{new}")' if old != new else f'"{old}" (kept)'


TRANSFORM = RenameColumnsTransform
