"""The contract every standard transform implements.

A transform is a pydantic params model (unknown keys forbidden) with one pure method,
``apply(ctx) -> exp.Select``, that reads from ``ctx.relation`` (the previous step's CTE) and
returns a new query AST. It never builds SQL strings: identifiers and literals are AST nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import sqlglot
from pydantic import BaseModel, ConfigDict
from sqlglot import exp
from sqlglot.errors import ParseError

from odibi_sql.diagnostics import did_you_mean

ColumnTypes = Mapping[str, str | None]
"""Ordered ``{column name: DuckDB type name or None when unknown}``."""


class TransformError(Exception):
    """A transform cannot be applied as configured; the compiler adds file, line and node."""

    def __init__(self, message: str, hint: str | None = None):
        self.message, self.hint = message, hint
        super().__init__(message)


@dataclass
class TransformContext:
    """What a step sees: the upstream relation, its columns, and a way to reach other nodes."""

    relation: str
    columns: ColumnTypes
    step: str = "step"
    dialect: str = "duckdb"
    resolve_ref: Callable[[str], tuple[exp.Table, ColumnTypes]] | None = None
    _taken: set[str] = field(default_factory=set)

    def table(self) -> exp.Table:
        """The upstream relation as a table node to select from."""
        return exp.table_(self.relation, quoted=True)

    def column(self, name: str, table: str | None = None) -> exp.Column:
        """A quoted column of the upstream relation; unknown names raise with a suggestion."""
        self.require(name)
        return exp.column(name, table=table, quoted=True)

    def require(self, *names: str) -> None:
        for name in names:
            if name not in self.columns:
                raise TransformError(
                    f'column "{name}" does not exist upstream.{did_you_mean(name, self.columns)}',
                    hint=f"available columns: {', '.join(self.columns) or '(none)'}",
                )

    def parse_expression(self, sql: str, what: str = "expression") -> exp.Expression:
        """Parse a user-written SQL expression in the project's dialect (errors name the text)."""
        try:
            parsed = sqlglot.parse_one(sql, read=self.dialect, into=exp.Condition)
        except (ParseError, ValueError) as exc:
            raise TransformError(f"{what} {sql!r} is not valid SQL: {_first_line(exc)}") from None
        return parsed

    def fresh_name(self, base: str) -> str:
        """A helper column name that collides with no upstream column and no earlier helper."""
        taken = {c.lower() for c in self.columns} | self._taken
        candidate, n = f"__{base}", 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"__{base}_{n}"
        self._taken.add(candidate.lower())
        return candidate

    def ref(self, node: str) -> tuple[exp.Table, ColumnTypes]:
        """Another node's relation and columns (for join and union)."""
        if self.resolve_ref is None:
            raise TransformError(f'cannot reference node "{node}" here')
        return self.resolve_ref(node)


class Transform(BaseModel):
    """Base of the standard transforms; ``name`` is the YAML key."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: ClassVar[str]

    def apply(self, ctx: TransformContext) -> exp.Select:  # pragma: no cover - abstract
        raise NotImplementedError


def star_except(ctx: TransformContext, replaced: Mapping[str, exp.Expression]) -> list[exp.Expression]:
    """Every upstream column in order, with ``replaced`` columns swapped for aliased expressions."""
    out: list[exp.Expression] = []
    for name in ctx.columns:
        if name in replaced:
            out.append(exp.alias_(replaced[name], name, quoted=True))
        else:
            out.append(exp.column(name, quoted=True))
    return out


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def aliased(table: exp.Table, alias: str) -> exp.Table:
    """``table AS "alias"`` (a copy) with a TableAlias: ``Table.as_`` sets a bare Identifier, which
    sqlglot's qualify cannot handle."""
    table = table.copy()
    table.set("alias", exp.TableAlias(this=exp.to_identifier(alias, quoted=True)))
    return table
