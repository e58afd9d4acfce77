"""union: append the rows of other nodes to the rows of this step.

YAML::

    transform:
      - union:
          with: [orders_2017, orders_2018]   # one node or a list
          by_name: true                      # match columns by name (default); false: by position
          distinct: false                    # true removes duplicate rows (UNION instead of UNION ALL)

By name, the output has every column of this step in order, then the columns that only other
nodes have, in order of appearance. Names match case-insensitively (as in DuckDB and Spark); a
relation without a column contributes ``CAST(NULL AS <its type>)`` (a plain NULL when the type is
unknown). By position, every relation must have as many columns as this step, and the output
takes this step's names.

DuckDB (``with: [b]``, src has a, b has a and c)::

    SELECT "a", "c" FROM (
      SELECT "a" AS "a", CAST(NULL AS INT) AS "c" FROM "src"
      UNION ALL
      SELECT "a" AS "a", "c" AS "c" FROM "b"
    ) AS "__unioned"

Spark: the same with backticks and Spark type names (``CAST(NULL AS INT)``, ``STRING``).

Dialects: all. Columns of different types are widened by each engine's own union rules, which
differ (DuckDB casts more freely than Spark); cast them to one type first for identical results.
"""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlglot import exp
from sqlglot.errors import ParseError

from odibi_sql.transforms.base import ColumnTypes, Transform, TransformContext, TransformError


class UnionTransform(Transform):
    name = "union"

    with_: list[str] = Field(alias="with", min_length=1, description="Nodes whose rows are appended.")
    by_name: bool = Field(default=True, description="Match columns by name (true) or by position.")
    distinct: bool = Field(default=False, description="Remove duplicate rows (UNION instead of UNION ALL).")

    @field_validator("with_", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("with_")
    @classmethod
    def _distinct_nodes(cls, value: list[str]) -> list[str]:
        if any(not v for v in value):
            raise ValueError("node names must not be empty")
        if len(set(value)) != len(value):
            raise ValueError("a node is listed twice in 'with'")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        relations: list[tuple[exp.Table, ColumnTypes]] = [(ctx.table(), ctx.columns)]
        relations += [ctx.ref(node) for node in self.with_]
        if self.by_name:
            names, branches = _by_name(relations)
        else:
            names, branches = _by_position(relations, self.with_)
        query: exp.Query = branches[0]
        for branch in branches[1:]:
            query = exp.union(query, branch, distinct=self.distinct)
        columns = [exp.column(n, quoted=True) for n in names]
        alias = exp.to_identifier(ctx.fresh_name("unioned"), quoted=True)
        return exp.select(*columns).from_(query.subquery(alias, copy=False))


def _by_name(relations: list[tuple[exp.Table, ColumnTypes]]) -> tuple[list[str], list[exp.Select]]:
    output: dict[str, str] = {}  # lower name -> output spelling
    types: dict[str, str | None] = {}
    for _, columns in relations:
        for name, type_ in columns.items():
            key = name.lower()
            output.setdefault(key, name)
            if types.get(key) is None:
                types[key] = type_
    branches = []
    for table, columns in relations:
        present = {name.lower(): name for name in columns}
        projections = []
        for key, name in output.items():
            value = exp.column(present[key], quoted=True) if key in present else _typed_null(types[key])
            projections.append(value.as_(name, quoted=True))
        branches.append(exp.select(*projections).from_(table.copy()))
    return list(output.values()), branches


def _by_position(
    relations: list[tuple[exp.Table, ColumnTypes]], nodes: list[str]
) -> tuple[list[str], list[exp.Select]]:
    names = list(relations[0][1])
    branches = []
    for i, (table, columns) in enumerate(relations):
        if len(columns) != len(names):
            raise TransformError(
                f'"{nodes[i - 1]}" has {len(columns)} columns but this step has {len(names)}; '
                "a union by position needs the same number of columns",
                hint="set by_name: true to match columns by name and fill missing ones with NULL",
            )
        pairs = zip(columns, names, strict=True)
        projections = [exp.column(col, quoted=True).as_(name, quoted=True) for col, name in pairs]
        branches.append(exp.select(*projections).from_(table.copy()))
    return names, branches


def _typed_null(type_name: str | None) -> exp.Expression:
    if type_name is None:
        return exp.null()
    try:
        return exp.cast(exp.null(), exp.DataType.build(type_name, dialect="duckdb"))
    except (ParseError, ValueError):
        return exp.null()


TRANSFORM = UnionTransform
