"""surrogate_key: an md5 key over several columns, identical to dbt_utils.generate_surrogate_key.

YAML::

    transform:
      - surrogate_key: {columns: [order_id, order_item_id], as: order_item_sk}

Each column is cast to text, a NULL becomes ``_dbt_utils_surrogate_key_null_``, the pieces are
joined with ``-`` and hashed with md5: the same 32-character hex keys dbt_utils generates, so keys
survive a move from dbt. The key is never NULL. ``as`` names the output column (an existing column
is replaced in place).

DuckDB::

    SELECT "order_id", "order_item_id", MD5(CONCAT_WS('-', COALESCE("order_id",
    '_dbt_utils_surrogate_key_null_'), COALESCE(CAST("order_item_id" AS TEXT),
    '_dbt_utils_surrogate_key_null_'))) AS "order_item_sk" FROM "prev"

Spark::

    SELECT `order_id`, `order_item_id`, MD5(CONCAT_WS('-', COALESCE(`order_id`,
    '_dbt_utils_surrogate_key_null_'), COALESCE(CAST(`order_item_id` AS STRING),
    '_dbt_utils_surrogate_key_null_'))) AS `order_item_sk` FROM `prev`

Dialects: all, with the text-form caveats of ``hash_columns`` (DOUBLE, TIMESTAMPTZ and nested
types are cast to text differently by DuckDB and Spark).
"""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.derive_columns import check_names, with_columns
from odibi_sql.transforms.hash_columns import null_safe_join

SEPARATOR = "-"
NULL_MARKER = "_dbt_utils_surrogate_key_null_"


class SurrogateKeyTransform(Transform):
    name = "surrogate_key"
    columns: list[str] = Field(description="The columns that identify a row, in this order.")
    as_: str = Field(alias="as", min_length=1, description="Output column.")

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("columns must list at least one column")
        check_names(value, "columns")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        key = exp.MD5(this=null_safe_join(ctx, self.columns, SEPARATOR, NULL_MARKER))
        return exp.select(*with_columns(ctx, {self.as_: key})).from_(ctx.table())


TRANSFORM = SurrogateKeyTransform
