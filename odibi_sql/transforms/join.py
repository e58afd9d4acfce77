"""join: combine the rows of this step with another node on key columns.

YAML::

    transform:
      - join:
          with: customers                 # another node of the project
          how: left                       # inner | left | right | full | semi | anti | cross
          on: [customer_id]               # same name on both sides, or {order_cust_id: customer_id}
          select: [customer_city, name]   # right-hand columns to bring (default: all but the keys)
          suffix: _customer               # clashing right-hand columns become name_customer

Every key appears once in the output, under its left-hand name: the left value for inner/left
joins, the right value for right joins and ``coalesce(left, right)`` for full joins. Right-hand
columns whose names clash with an output column (case-insensitively, as both engines compare
names) get ``prefix`` or ``suffix`` (default ``_right``); a name that still clashes is an error.
``semi`` keeps left rows that have a match, ``anti`` those that have none; both output only the
left columns and never duplicate a left row. NULL keys never match unless ``null_safe: true``.

DuckDB (``how: left, on: [id]``)::

    SELECT "l"."id" AS "id", "l"."v" AS "v", "r"."w" AS "w"
    FROM "src" AS "l" LEFT JOIN "customers" AS "r" ON "l"."id" = "r"."id"

Spark::

    SELECT `l`.`id` AS `id`, `l`.`v` AS `v`, `r`.`w` AS `w`
    FROM `src` AS `l` LEFT JOIN `customers` AS `r` ON `l`.`id` = `r`.`id`

semi/anti compile to ``WHERE [NOT] EXISTS (SELECT 1 FROM right WHERE keys match)``;
``null_safe`` uses ``IS NOT DISTINCT FROM`` (valid on both engines).

Dialects: all; the same AST gives the same rows on DuckDB and Spark.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator
from sqlglot import exp

from odibi_sql.diagnostics import did_you_mean
from odibi_sql.transforms.base import ColumnTypes, Transform, TransformContext, TransformError, aliased

_LEFT, _RIGHT = "l", "r"


class JoinTransform(Transform):
    name = "join"

    with_: str = Field(alias="with", min_length=1, description="The node to join with.")
    how: Literal["inner", "left", "right", "full", "semi", "anti", "cross"] = "inner"
    on: list[str] | dict[str, str] | None = Field(
        default=None, description="Key columns: a list (same names) or {left column: right column}."
    )
    select: list[str] | None = Field(
        default=None, min_length=1, description="Right-hand columns to keep (default: all but keys)."
    )
    prefix: str | None = Field(default=None, min_length=1, description="Prefix for clashing right columns.")
    suffix: str = Field(default="_right", min_length=1, description="Suffix for clashing right columns.")
    null_safe: bool = Field(default=False, description="NULL keys match each other.")

    @field_validator("on")
    @classmethod
    def _keys_are_distinct(cls, on: list[str] | dict[str, str] | None) -> list[str] | dict[str, str] | None:
        if on is None:
            return on
        if not on:
            raise ValueError("on needs at least one key column")
        if isinstance(on, list) and len(set(on)) != len(on):
            raise ValueError("on lists a key column twice")
        return on

    @field_validator("select")
    @classmethod
    def _select_is_distinct(cls, select: list[str] | None) -> list[str] | None:
        if select is not None and len(set(select)) != len(select):
            raise ValueError("select lists a column twice")
        return select

    @model_validator(mode="after")
    def _on_matches_how(self) -> JoinTransform:
        if self.how == "cross" and self.on is not None:
            raise ValueError("a cross join takes no 'on' keys")
        if self.how != "cross" and self.on is None:
            raise ValueError(f"a {self.how} join needs 'on': a list of key columns or {{left: right}}")
        if self.how in ("semi", "anti") and self.select is not None:
            raise ValueError(f"a {self.how} join keeps only left columns; remove 'select'")
        return self

    def key_pairs(self) -> list[tuple[str, str]]:
        if self.on is None:
            return []
        if isinstance(self.on, dict):
            return list(self.on.items())
        return [(k, k) for k in self.on]

    def apply(self, ctx: TransformContext) -> exp.Select:
        right_table, right_columns = ctx.ref(self.with_)
        pairs = self.key_pairs()
        ctx.require(*(left for left, _ in pairs))
        for _, right in pairs:
            _require_right(right, right_columns, self.with_)
        left = aliased(ctx.table(), _LEFT)
        right_rel = aliased(right_table, _RIGHT)
        condition = exp.and_(*(self._match(lk, rk) for lk, rk in pairs)) if pairs else None

        if self.how in ("semi", "anti"):
            exists = exp.Exists(this=exp.select(exp.Literal.number(1)).from_(right_rel).where(condition))
            where = exists if self.how == "semi" else exp.not_(exists)
            columns = [exp.column(c, table=_LEFT, quoted=True).as_(c, quoted=True) for c in ctx.columns]
            return exp.select(*columns).from_(left).where(where)

        projections = self._projections(ctx, pairs, right_columns)
        join_kind = {"inner": "INNER", "left": "LEFT", "right": "RIGHT", "full": "FULL", "cross": "CROSS"}
        return (
            exp.select(*projections).from_(left).join(right_rel, on=condition, join_type=join_kind[self.how])
        )

    def _match(self, left: str, right: str) -> exp.Expression:
        lcol = exp.column(left, table=_LEFT, quoted=True)
        rcol = exp.column(right, table=_RIGHT, quoted=True)
        operator = exp.NullSafeEQ if self.null_safe else exp.EQ
        return operator(this=lcol, expression=rcol)

    def _projections(
        self, ctx: TransformContext, pairs: list[tuple[str, str]], right_columns: ColumnTypes
    ) -> list[exp.Expression]:
        keys = dict(pairs)
        out: list[exp.Expression] = []
        taken: set[str] = set()
        for name in ctx.columns:
            lcol = exp.column(name, table=_LEFT, quoted=True)
            if name in keys and self.how in ("right", "full"):
                rcol = exp.column(keys[name], table=_RIGHT, quoted=True)
                value: exp.Expression = rcol if self.how == "right" else exp.func("COALESCE", lcol, rcol)
            else:
                value = lcol
            out.append(value.as_(name, quoted=True))
            taken.add(name.lower())

        right_keys = set(keys.values())
        if self.select is None:
            wanted = [c for c in right_columns if c not in right_keys]
        else:
            for c in self.select:
                _require_right(c, right_columns, self.with_)
            wanted = list(self.select)
        clashing = [c for c in wanted if c.lower() in taken]
        for name in wanted:
            alias = name
            if name in clashing:
                alias = f"{self.prefix}{name}" if self.prefix is not None else f"{name}{self.suffix}"
            if alias.lower() in taken or (alias != name and alias.lower() in {w.lower() for w in wanted}):
                raise TransformError(
                    f'right-hand column "{name}" of "{self.with_}" would be named "{alias}", '
                    "which already exists in the join output",
                    hint="set a different 'prefix' or 'suffix', or list the wanted columns in 'select'",
                )
            taken.add(alias.lower())
            out.append(exp.column(name, table=_RIGHT, quoted=True).as_(alias, quoted=True))
        return out


def _require_right(name: str, columns: ColumnTypes, node: str) -> None:
    if name not in columns:
        raise TransformError(
            f'column "{name}" does not exist in "{node}".{did_you_mean(name, columns)}',
            hint=f"available columns of {node}: {', '.join(columns) or '(none)'}",
        )


TRANSFORM = JoinTransform
