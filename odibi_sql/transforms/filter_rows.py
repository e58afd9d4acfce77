"""filter_rows: keep the rows for which a condition is true.

YAML::

    transform:
      - filter_rows: {condition: "status <> 'canceled' and amount > 0"}

DuckDB: ``SELECT * FROM "prev" WHERE status <> 'canceled' AND amount > 0``
Spark:  ``SELECT * FROM `prev` WHERE status <> 'canceled' AND amount > 0``

Dialects: all. Rows where the condition is NULL are dropped, as in SQL.
"""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext


class FilterRowsTransform(Transform):
    name = "filter_rows"
    condition: str

    def apply(self, ctx: TransformContext) -> exp.Select:
        condition = ctx.parse_expression(self.condition, "condition")
        return exp.select(exp.Star()).from_(ctx.table()).where(condition, copy=False)


TRANSFORM = FilterRowsTransform
