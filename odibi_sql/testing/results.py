"""The result of one data test, as shown on its line and stored in ``run_results.json``."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class DataTestStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    ERROR = "error"
    """The test's query could not run (e.g. the node's table does not exist yet)."""
    SKIPPED = "skipped"
    """Not run: a ``severity: warn`` relationships test whose referenced node did not succeed."""


class DataTestResult(BaseModel):
    name: str
    node: str
    test: str
    column: str | None = None
    severity: str
    status: DataTestStatus
    failures: int | None = None
    """Rows the test's query returned (0 when it passes)."""
    quarantined: int | None = None
    """Rows moved to ``<table>__quarantine`` by this test while the node was built."""
    seconds: float = 0.0
    sample: list[str] = []
    """A few failing rows, ``sensitive`` values masked."""
    message: str | None = None
    sql: str

    @property
    def fails_the_run(self) -> bool:
        """An error-severity test that failed or could not run."""
        return self.severity == "error" and self.status in (DataTestStatus.FAIL, DataTestStatus.ERROR)
