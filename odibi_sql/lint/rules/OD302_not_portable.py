from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.rule import DiagnosticRule


class NotPortableRule(DiagnosticRule):
    """A construct is not proven to give DuckDB's result on a linted dialect.

    Every function, operator, cast, literal form and clause of a node compiled for Spark must be
    listed in the dialect's portability registry (``dialects/portability/spark.yaml``), where
    each entry is proven equal on both engines over edge inputs. Anything else is refused, with the
    reason and a portable way to write it (docs/spark.md lists what is portable).

    **Anti-pattern**: ``list_sum(amounts)`` or ``a UNION BY NAME b`` in a project that also runs on
    Spark.

    **Best practice**: write the portable form (``list_reduce``-free aggregates over ``unnest``,
    explicit column lists), or mark the node ``portability: unchecked`` to accept the difference.
    """

    code = "OD302"
    name = "not-portable"
    severity = Severity.ERROR
