"""Expand ``s.*`` on a struct column into one projection per field: ``s.a AS a, s.b AS b``.

sqlglot qualifies ``s.*`` as ``_0.s.*``, which DuckDB rejects; DuckDB and Spark both read a
qualified field (``_0.s.a``), so the expansion is one query both engines run alike. The fields come
from the struct's inferred type; a struct star whose type is unknown is a problem for the caller
to report (there is no way to know the node's columns).
"""

from __future__ import annotations

import contextlib

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.schema import MappingSchema

_PROBE = "__odibi_struct_star_{}"


def struct_stars(query: exp.Query) -> list[exp.Dot]:
    """The ``<column>.*`` projections of a qualified query (table stars are already expanded)."""
    return [
        dot
        for select in query.find_all(exp.Select)
        for dot in select.expressions
        if isinstance(dot, exp.Dot) and isinstance(dot.expression, exp.Star)
    ]


def expand_struct_stars(query: exp.Query, schema: MappingSchema, dialect: str) -> list[exp.Dot]:
    """Replace each struct star of ``query`` (in place) by its fields; returns the stars left
    unexpanded because their type is not a struct with known fields."""
    stars = struct_stars(query)
    if not stars:
        return []
    probes = []
    for i, dot in enumerate(stars):
        probe = exp.alias_(dot.this.copy(), _PROBE.format(i), quoted=True)
        dot.replace(probe)
        probes.append((dot, probe))
    with contextlib.suppress(SqlglotError):  # types are best effort: an unknown one is reported
        annotate_types(query, schema=schema, dialect=dialect)
    left: list[exp.Dot] = []
    for dot, probe in probes:
        fields = _fields(probe.type)
        select = probe.parent
        if not fields or not isinstance(select, exp.Select):
            probe.replace(dot)
            left.append(dot)
            continue
        expanded = [
            exp.Dot(this=probe.this.copy(), expression=exp.to_identifier(name, quoted=True)).as_(
                name, quoted=True
            )
            for name in fields
        ]
        at = select.expressions.index(probe)
        select.set("expressions", [*select.expressions[:at], *expanded, *select.expressions[at + 1 :]])
    return left


def _fields(datatype: exp.DataType | None) -> list[str]:
    """The field names of a STRUCT type (empty when it is not one or a field is unnamed)."""
    if datatype is None or not datatype.is_type(exp.DataType.Type.STRUCT):
        return []
    names = [f.name for f in datatype.expressions if isinstance(f, exp.ColumnDef)]
    return names if len(names) == len(datatype.expressions) else []
