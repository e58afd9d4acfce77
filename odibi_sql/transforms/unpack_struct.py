"""unpack_struct: turn the fields of a struct column into top-level columns.

YAML::

    transform:
      - unpack_struct:
          column: address                 # a STRUCT column
          fields: [city, zip]             # default: every field of the struct's known type
          prefix: address_                # default: no prefix
          keep_column: false              # default: the struct column is replaced by its fields

The fields take the struct column's place, in ``fields`` order (or the type's order), each named
``prefix + field``. A struct that is NULL gives NULL fields. Without ``fields`` the struct's type
must be known upstream. A new name that clashes with another column (case-insensitively) is an
error. Nested structs come out as struct columns: unpack them again in another step.

DuckDB::

    SELECT "id", "src"."address"."city" AS "address_city", "src"."address"."zip" AS "address_zip"
    FROM "src"

Spark::

    SELECT `id`, `src`.`address`.`city` AS `address_city`, `src`.`address`.`zip` AS `address_zip`
    FROM `src`

Field access is qualified with the relation so a struct column named like a table is never read
as ``table.column``.

Dialects: all.
"""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlglot import exp
from sqlglot.errors import ParseError

from odibi_sql.diagnostics import did_you_mean
from odibi_sql.transforms.base import Transform, TransformContext, TransformError


class UnpackStructTransform(Transform):
    name = "unpack_struct"

    column: str = Field(min_length=1, description="The struct column.")
    fields: list[str] | None = Field(
        default=None, min_length=1, description="Fields to unpack (default: all)."
    )
    prefix: str = Field(default="", description="Prepended to every new column name.")
    keep_column: bool = Field(default=False, description="Keep the struct column next to its fields.")

    @field_validator("fields")
    @classmethod
    def _distinct_fields(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("fields lists a field twice")
        return value

    def apply(self, ctx: TransformContext) -> exp.Select:
        ctx.require(self.column)
        known = _struct_fields(self.column, ctx.columns[self.column])
        if self.fields is None:
            if known is None:
                raise TransformError(
                    f'the type of column "{self.column}" is not known, so its fields are not either',
                    hint="list the fields to unpack in 'fields'",
                )
            fields = known
        else:
            fields = list(self.fields)
            if known is not None:
                known_lower = {k.lower() for k in known}  # engines match struct fields by any case
                for f in fields:
                    if f.lower() not in known_lower:
                        raise TransformError(
                            f'struct column "{self.column}" has no field "{f}".{did_you_mean(f, known)}',
                            hint=f"fields of {self.column}: {', '.join(known)}",
                        )
        kept = [c for c in ctx.columns if c != self.column or self.keep_column]
        taken = {c.lower() for c in kept}
        unpacked = []
        for f in fields:
            name = self.prefix + f
            if name.lower() in taken:
                raise TransformError(
                    f'field "{f}" of "{self.column}" would become column "{name}", which already exists',
                    hint="set a 'prefix' (e.g. prefix: " + self.column + "_) or rename the column first",
                )
            taken.add(name.lower())
            struct = exp.column(self.column, table=ctx.relation, quoted=True)
            access = exp.Dot(this=struct, expression=exp.to_identifier(f, quoted=True))
            unpacked.append(access.as_(name, quoted=True))
        projections: list[exp.Expression] = []
        for c in ctx.columns:
            if c == self.column:
                if self.keep_column:
                    projections.append(exp.column(c, quoted=True))
                projections.extend(unpacked)
            else:
                projections.append(exp.column(c, quoted=True))
        return exp.select(*projections).from_(ctx.table())


def _struct_fields(name: str, type_name: str | None) -> list[str] | None:
    """The field names of a struct type, None when unknown; raises when the type is no struct."""
    if type_name is None:
        return None
    try:
        data_type = exp.DataType.build(type_name, dialect="duckdb")
    except (ParseError, ValueError):
        return None
    if not data_type.is_type(exp.DataType.Type.STRUCT):
        raise TransformError(
            f'column "{name}" is {type_name}, not a struct',
            hint="unpack_struct needs a STRUCT column",
        )
    return [field.name for field in data_type.expressions]


TRANSFORM = UnpackStructTransform
