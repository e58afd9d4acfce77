"""drop_columns: remove the listed columns, keeping the others in order.

YAML::

    transform:
      - drop_columns: {columns: [_ingested_at, raw_payload]}

Every listed column must exist upstream, and at least one column must remain. The remaining
columns are listed explicitly rather than with ``* EXCLUDE``, which Spark 3.5 lacks.

DuckDB::

    SELECT "order_id", "amount" FROM "prev"

Spark::

    SELECT `order_id`, `amount` FROM `prev`

Dialects: all.
"""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext, TransformError
from odibi_sql.transforms.derive_columns import check_names


class DropColumnsTransform(Transform):
    name = "drop_columns"
    columns: list[str] = Field(description="The columns to remove.")

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("columns must list at least one column to drop")
        check_names(value, "columns")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        ctx.require(*self.columns)
        kept = [c for c in ctx.columns if c not in self.columns]
        if not kept:
            raise TransformError(
                "drop_columns would remove every column", hint="keep at least one column, or remove the step"
            )
        return exp.select(*(exp.column(c, quoted=True) for c in kept)).from_(ctx.table())


TRANSFORM = DropColumnsTransform
