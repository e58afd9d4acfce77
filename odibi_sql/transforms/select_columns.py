"""select_columns: keep only the listed columns, in the order listed.

YAML::

    transform:
      - select_columns: {columns: [order_id, customer_id, amount]}

Every listed column must exist upstream; the list may reorder columns.

DuckDB::

    SELECT "order_id", "customer_id", "amount" FROM "prev"

Spark::

    SELECT `order_id`, `customer_id`, `amount` FROM `prev`

Dialects: all.
"""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.derive_columns import check_names


class SelectColumnsTransform(Transform):
    name = "select_columns"
    columns: list[str] = Field(description="The columns to keep, in output order.")

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("columns must list at least one column to keep")
        check_names(value, "columns")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        return exp.select(*(ctx.column(c) for c in self.columns)).from_(ctx.table())


TRANSFORM = SelectColumnsTransform
