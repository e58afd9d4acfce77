"""hash_columns: a hex digest (md5 or sha256) of several columns, NULL-safe and deterministic.

YAML::

    transform:
      - hash_columns: {columns: [customer_id, email], algorithm: sha256, as: row_hash}

Each column is cast to text and a NULL becomes the marker ``__odibi_null__`` (so NULL and ``''``
hash differently and a NULL never makes the hash NULL); the pieces are joined with ``|`` in the
order listed and hashed. The result is a lowercase hex string (32 characters for md5, 64 for
sha256, the default). ``as`` names the output column (an existing column is replaced in place).
For keys compatible with dbt, use ``surrogate_key``.

DuckDB::

    SELECT "customer_id", "email", SHA256(CONCAT_WS('|', COALESCE(CAST("customer_id" AS TEXT),
    '__odibi_null__'), COALESCE("email", '__odibi_null__'))) AS "row_hash" FROM "prev"

Spark::

    SELECT `customer_id`, `email`, SHA2(CONCAT_WS('|', COALESCE(CAST(`customer_id` AS STRING),
    '__odibi_null__'), COALESCE(`email`, '__odibi_null__')), 256) AS `row_hash` FROM `prev`

Dialects: all. Digests agree across engines when the columns' text forms do: text, integers,
decimals, dates, booleans and timestamps. DOUBLE/FLOAT, TIMESTAMPTZ and nested types are cast to
text differently by DuckDB and Spark: cast them to a decimal or to formatted text first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field, field_validator
from sqlglot import exp

from odibi_sql.transforms.base import Transform, TransformContext
from odibi_sql.transforms.cast_columns import is_text, parse_type, upstream_type
from odibi_sql.transforms.derive_columns import check_names, with_columns

SEPARATOR = "|"
NULL_MARKER = "__odibi_null__"


class HashColumnsTransform(Transform):
    name = "hash_columns"
    columns: list[str] = Field(description="The columns to hash, in this order.")
    algorithm: Literal["md5", "sha256"] = Field(default="sha256", description="Digest algorithm.")
    as_: str = Field(alias="as", min_length=1, description="Output column.")

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("columns must list at least one column to hash")
        check_names(value, "columns")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        joined = null_safe_join(ctx, self.columns, SEPARATOR, NULL_MARKER)
        digest = (
            exp.MD5(this=joined)
            if self.algorithm == "md5"
            else exp.SHA2(this=joined, length=exp.Literal.number(256))
        )
        return exp.select(*with_columns(ctx, {self.as_: digest})).from_(ctx.table())


def null_safe_join(
    ctx: TransformContext, columns: Sequence[str], separator: str, null_marker: str
) -> exp.Expression:
    """``CONCAT_WS(separator, COALESCE(CAST(c AS VARCHAR), null_marker), ...)`` over ``columns``."""
    pieces: list[exp.Expression] = []
    for column in columns:
        text: exp.Expression = ctx.column(column)
        if not is_text(upstream_type(ctx, column)):
            text = exp.cast(text, parse_type("varchar"))
        pieces.append(exp.Coalesce(this=text, expressions=[exp.Literal.string(null_marker)]))
    # As sqlglot parses DuckDB's concat_ws (no pieces are NULL here anyway).
    return exp.ConcatWs(expressions=[exp.Literal.string(separator), *pieces], safe=True, coalesce=True)


TRANSFORM = HashColumnsTransform
