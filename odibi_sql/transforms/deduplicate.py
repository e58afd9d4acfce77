"""deduplicate: keep one row per key, the first (or last) in a given order.

YAML::

    transform:
      - deduplicate:
          keys: [order_id]
          order_by: "updated_at desc, ingested_at desc"   # a SQL ORDER BY list (DuckDB syntax)
          keep: first                                      # first | last

``keep: first`` keeps the first row of each key in ``order_by``; ``keep: last`` the last one (the
order reversed, NULL placement included). Without ``order_by`` an arbitrary row of each key is
kept (the window is then ordered by the keys, as Spark requires an order): give an order for
reproducible results. NULL keys form one group, as in GROUP BY. The output has exactly the
upstream columns; the helper row number never leaks.

DuckDB::

    SELECT "order_id", "updated_at" FROM (
      SELECT *, ROW_NUMBER() OVER (PARTITION BY "order_id" ORDER BY updated_at DESC) AS "__row_number"
      FROM "src"
    ) AS "__deduplicated" WHERE "__row_number" = 1

Spark: the same with backticks. Orders carry explicit NULL placement where the engines' defaults
differ (DuckDB puts NULLs last in both directions; Spark puts them first when ascending), so
``order_by: "x"`` renders ``ORDER BY x NULLS LAST`` for Spark and ties break the same way.

Dialects: all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from odibi_sql.transforms.aggregate import require_referenced
from odibi_sql.transforms.base import Transform, TransformContext, TransformError


def parse_order_list(ctx: TransformContext, text: str, what: str = "order_by") -> list[exp.Ordered]:
    """Parse ``"a desc, b nulls first"`` (the text after ORDER BY) into ordered terms.

    The user's text is tokenized on its own and an ORDER BY token is put in front, so it cannot
    escape the ORDER BY clause. Every column it reads must exist upstream.
    """
    dialect = Dialect.get_or_raise(ctx.dialect)
    try:
        tokens = dialect.tokenize(text)
        if not tokens or tokens[-1].token_type == TokenType.COMMA:
            raise ParseError("expected a column after the last comma" if tokens else "empty order")
        order_by = Token(TokenType.ORDER_BY, "ORDER BY")
        parsed = dialect.parser().parse_into(exp.Order, [order_by, *tokens], sql=text)[0]
    except (ParseError, TokenError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise TransformError(
            f"{what} {text!r} is not a valid ORDER BY list: {first}",
            hint='write columns with an optional direction, e.g. "updated_at desc, id"',
        ) from None
    if not isinstance(parsed, exp.Order) or not parsed.expressions:
        raise TransformError(f"{what} {text!r} is not a valid ORDER BY list")
    terms = [t if isinstance(t, exp.Ordered) else exp.Ordered(this=t) for t in parsed.expressions]
    for term in terms:
        require_referenced(ctx, term)
    return terms


def reverse_order(terms: list[exp.Ordered]) -> list[exp.Ordered]:
    """The opposite order: every direction and NULL placement flipped."""
    flipped = []
    for term in terms:
        copy = term.copy()
        copy.set("desc", not term.args.get("desc"))
        copy.set("nulls_first", not term.args.get("nulls_first"))
        flipped.append(copy)
    return flipped


class DeduplicateTransform(Transform):
    name = "deduplicate"

    keys: list[str] = Field(min_length=1, description="Columns that identify a row.")
    order_by: str | None = Field(
        default=None, min_length=1, description='SQL ORDER BY list, e.g. "updated_at desc".'
    )
    keep: Literal["first", "last"] = Field(default="first", description="Row of each key to keep.")

    @field_validator("keys")
    @classmethod
    def _distinct_keys(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("keys lists a column twice")
        return value

    @model_validator(mode="after")
    def _last_needs_order(self) -> DeduplicateTransform:
        if self.keep == "last" and self.order_by is None:
            raise ValueError("keep: last needs an order_by (without an order no row is last)")
        return self

    def apply(self, ctx: TransformContext) -> exp.Select:
        ctx.require(*self.keys)
        order = parse_order_list(ctx, self.order_by) if self.order_by else []
        if self.keep == "last":
            order = reverse_order(order)
        row_number = ctx.fresh_name("row_number")
        partition = [exp.column(k, quoted=True) for k in self.keys]
        window = exp.Window(
            this=exp.RowNumber(),
            partition_by=partition,
            # Spark requires an ordered window for ROW_NUMBER: without order_by, any row of the key
            order=exp.Order(expressions=order or [exp.Ordered(this=k.copy()) for k in partition]),
        )
        numbered = exp.select(exp.Star(), exp.alias_(window, row_number, quoted=True)).from_(ctx.table())
        alias = exp.to_identifier(ctx.fresh_name("deduplicated"), quoted=True)
        return (
            exp.select(*(exp.column(c, quoted=True) for c in ctx.columns))
            .from_(numbered.subquery(alias, copy=False))
            .where(exp.column(row_number, quoted=True).eq(1), copy=False)
        )


TRANSFORM = DeduplicateTransform
