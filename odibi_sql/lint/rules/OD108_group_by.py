from __future__ import annotations

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.binder import BindKind
from odibi_sql.lint.rule import BindRule


class GroupByRule(BindRule):
    """A selected column is neither grouped nor aggregated.

    Found by binding the compiled node on DuckDB against empty upstream tables.

    **Anti-pattern**: ``select state, city, count(*) from customers group by state``

    **Best practice**: add the column to GROUP BY, aggregate it (``max(city)``), or use
    ``any_value(city)`` when any value will do.
    """

    code = "OD108"
    name = "group-by"
    severity = Severity.ERROR
    kind = BindKind.GROUP_BY
    hint = "add the column to GROUP BY or wrap it in an aggregate"
