"""Run one compiled data test on a session: count the failing rows, sample a few (masked)."""

from __future__ import annotations

import time
from typing import Any

from odibi_sql.adapters.base import EngineError, Session
from odibi_sql.testing.compile import DataTest
from odibi_sql.testing.masking import format_row, mask_message
from odibi_sql.testing.results import DataTestResult, DataTestStatus
from odibi_sql.testing.spec import Severity


def run_test(
    test: DataTest, session: Session, sensitive: frozenset[str], quarantined: int | None = None
) -> DataTestResult:
    """PASS when no row fails; otherwise FAIL (or WARN for ``severity: warn``), with a masked sample.

    ``quarantined`` is how many failing rows quarantine just moved aside: the test then passes
    on what is left, and is reported as WARN when rows were moved.
    """
    clock = time.perf_counter()
    result = _result(test, session, DataTestStatus.PASS, quarantined=quarantined)
    try:
        failures = int(session.query(test.count_failures())[0][0])
        result.failures = failures
        if failures:
            rows = session.query(test.sample())
            result.sample = [format_row(test.shown, row, sensitive) for row in rows]
            result.status = DataTestStatus.WARN if test.severity is Severity.WARN else DataTestStatus.FAIL
        elif quarantined:
            result.status = DataTestStatus.WARN
    except EngineError as exc:
        result.status = DataTestStatus.ERROR
        result.message = mask_message(exc.message, exc.statement) if sensitive else exc.message
    result.seconds = round(time.perf_counter() - clock, 4)
    return result


def not_run(test: DataTest, session: Session, reason: str) -> DataTestResult:
    """A test reported as SKIPPED with ``reason`` (its query is shown, not run)."""
    return _result(test, session, DataTestStatus.SKIPPED, message=reason)


def _result(test: DataTest, session: Session, status: DataTestStatus, **details: Any) -> DataTestResult:
    """The result of ``test`` with ``status``, naming the test and showing its failing-rows query."""
    return DataTestResult(
        name=test.name,
        node=test.node,
        test=test.kind,
        column=test.column,
        severity=test.severity.value,
        status=status,
        sql=session.render(test.failing_rows()),
        **details,
    )
