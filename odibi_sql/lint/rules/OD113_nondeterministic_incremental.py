from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from odibi_sql.diagnostics import Severity
from odibi_sql.lint.context import LintContext, LintNode
from odibi_sql.lint.rule import Rule, Violation
from odibi_sql.project.node_spec import Materialized

_CLASSES = (exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime, exp.CurrentDatetime, exp.Rand, exp.Uuid)
_NAMES = frozenset(
    {
        "now",
        "random",
        "uuid",
        "gen_random_uuid",
        "get_current_timestamp",
        "transaction_timestamp",
        "current_localtimestamp",
    }
)


class NondeterministicIncrementalRule(Rule):
    """An incremental node calls a function whose result changes from run to run.

    Incremental nodes add to a target run after run; with ``now()``, ``current_date`` or
    ``random()`` in the query, re-running the same batch (a retry, a backfill, a resume)
    produces different rows than the first run, and filters on the clock skip or repeat data.

    **Anti-pattern**: ``where updated_at > now() - interval 1 day`` or
    ``select random() as sample_key``

    **Best practice**: filter on the watermark (``write.hwm_column`` and ``{{ hwm }}``), pass
    dates in with ``var()``, and derive keys from the data (``hash_columns``, ``surrogate_key``).
    """

    code = "OD113"
    name = "nondeterministic-incremental"
    severity = Severity.WARNING

    def check_node(self, node: LintNode, ctx: LintContext) -> Iterable[Violation]:
        if node.materialized is not Materialized.INCREMENTAL or node.compiled is None:
            return
        reported: set[str] = set()
        for call in node.compiled.query.find_all(*_CLASSES, exp.Anonymous):
            name = _name(call)
            if name is None or name in reported:
                continue
            reported.add(name)
            written = _written(node, name)
            yield Violation(
                f"{name} in an incremental node: re-running a batch gives different rows",
                node.locate(written) if written is not None else node.definition.locate("transform"),
                node.name,
                "filter on the watermark ({{ hwm }}) or a var(), and derive values from the data",
            )


def _name(call: exp.Expression) -> str | None:
    if isinstance(call, exp.Anonymous):
        name = str(call.this).lower()
        return name if name in _NAMES else None
    return call.sql(dialect="duckdb").split("(")[0].lower()  # the name DuckDB users write


def _written(node: LintNode, name: str) -> exp.Expression | None:
    if node.source is None:
        return None
    return next((c for c in node.source.find_all(*_CLASSES, exp.Anonymous) if _name(c) == name), None)
