"""explode_list_column: one output row per element of a list column.

YAML::

    transform:
      - explode_list_column:
          column: items           # a list (DuckDB LIST / Spark ARRAY) column
          as: item                # default: the element replaces the list column, same name
          outer: true             # keep rows whose list is empty or NULL, as one row with NULL
          position: item_index    # optional: 1-based position of the element in its list

Every other upstream column is repeated on each element's row. Without ``as`` the element takes
the list column's place and name; with ``as`` the list column is kept and the element is added at
the end. ``outer: false`` (default) drops rows whose list is empty or NULL; ``outer: true`` keeps
them as one row with a NULL element (and a NULL position). NULL elements inside a list are kept.

DuckDB (``as: item, outer: true``)::

    SELECT "id", "items",
      UNNEST(CASE WHEN ARRAY_LENGTH("items") > 0 THEN "items" ELSE [NULL] END) AS "item"
    FROM "src"

Spark::

    SELECT `id`, `items`,
      EXPLODE(CASE WHEN SIZE(`items`) > 0 THEN `items` ELSE ARRAY(NULL) END) AS `item`
    FROM `src`

With ``position`` the positions are exploded instead (``GENERATE_SERIES(1, n)`` / ``SEQUENCE(1,
n)``, guarded so an empty list yields no position) and the element is read by index, which the
AST marks as 1-based so Spark renders ``items[pos - 1]``.

Dialects: all. ``outer`` is expressed without ``LEFT JOIN UNNEST`` / ``LATERAL VIEW OUTER``
because sqlglot translates that into a Spark LATERAL VIEW that drops the empty rows.
"""

from __future__ import annotations

from pydantic import Field, model_validator
from sqlglot import exp
from sqlglot.errors import ParseError

from odibi_sql.transforms.base import Transform, TransformContext, TransformError


class ExplodeListColumnTransform(Transform):
    name = "explode_list_column"

    column: str = Field(min_length=1, description="The list column.")
    as_: str | None = Field(default=None, alias="as", min_length=1, description="Element column name.")
    outer: bool = Field(default=False, description="Keep rows with an empty or NULL list (NULL element).")
    position: str | None = Field(default=None, min_length=1, description="Name of a 1-based position column.")

    @model_validator(mode="after")
    def _distinct_outputs(self) -> ExplodeListColumnTransform:
        element = self.as_ or self.column
        if self.position is not None and self.position.lower() == element.lower():
            raise ValueError(f'position and element columns must differ (both "{self.position}")')
        return self

    def apply(self, ctx: TransformContext) -> exp.Select:
        source = ctx.column(self.column)
        _check_list_type(self.column, ctx.columns[self.column])
        element_name = self.as_ or self.column
        taken = {c.lower() for c in ctx.columns if c != self.column or self.as_ is not None}
        for new in filter(None, (self.as_, self.position)):
            if new.lower() in taken:
                raise TransformError(
                    f'column "{new}" already exists upstream',
                    hint="choose another name for 'as' / 'position', or drop the column first",
                )
        size = exp.ArraySize(this=source.copy())
        non_empty = size.copy() > 0

        def kept_columns() -> list[exp.Expression]:
            keep_list = self.as_ is not None
            return [exp.column(c, quoted=True) for c in ctx.columns if c != self.column or keep_list]

        if self.position is None:
            values: exp.Expression = source.copy()
            if self.outer:
                values = exp.case().when(non_empty, values).else_(exp.Array(expressions=[exp.null()]))
            element = exp.alias_(exp.Explode(this=values), element_name, quoted=True)
            return exp.select(*self._place(ctx, kept_columns(), element)).from_(ctx.table())

        # positions first, then the element by (1-based) index
        index = ctx.fresh_name("position")
        series: exp.Expression = exp.GenerateSeries(
            start=exp.Literal.number(1), end=exp.case().when(non_empty, size.copy())
        )
        if self.outer:
            series = exp.case().when(non_empty.copy(), series).else_(exp.Array(expressions=[exp.null()]))
        numbered = exp.select(exp.Star(), exp.alias_(exp.Explode(this=series), index, quoted=True)).from_(
            ctx.table()
        )
        typed_index = exp.cast(exp.column(index, quoted=True), exp.DataType.build("BIGINT"))
        element = exp.Bracket(this=source.copy(), expressions=[typed_index], offset=1).as_(
            element_name, quoted=True
        )
        position = exp.column(index, quoted=True).as_(self.position, quoted=True)
        projections = [*self._place(ctx, kept_columns(), element), position]
        alias = exp.to_identifier(ctx.fresh_name("exploded"), quoted=True)
        return exp.select(*projections).from_(numbered.subquery(alias, copy=False))

    def _place(
        self, ctx: TransformContext, kept: list[exp.Expression], element: exp.Expression
    ) -> list[exp.Expression]:
        """The element replaces the list column in place, or is appended when it has its own name."""
        if self.as_ is not None:
            return [*kept, element]
        at = list(ctx.columns).index(self.column)
        return [*kept[:at], element, *kept[at:]]


def _check_list_type(name: str, type_name: str | None) -> None:
    if type_name is None:
        return
    try:
        data_type = exp.DataType.build(type_name, dialect="duckdb")
    except (ParseError, ValueError):  # an unknown type name: let the database decide
        return
    if not data_type.is_type(exp.DataType.Type.ARRAY, exp.DataType.Type.LIST):
        raise TransformError(
            f'column "{name}" is {type_name}, not a list',
            hint="explode_list_column needs a LIST/ARRAY column; use split_part or a SQL step to build one",
        )


TRANSFORM = ExplodeListColumnTransform
