"""Lint: semantic checks of a project for CI, before anything runs.

In: a loaded ``Project`` (plus a selection and the dialects to check). Out: a ``LintReport``
of ``Finding``s (rule code and name, severity, message, location in the user's file), which
``formats/`` renders as text, JSON, GitHub annotations or SARIF. The compiler runs in tolerant
mode so its problems become findings too; each compiled node is bound on an in-memory DuckDB
against empty upstream tables (``binder.py``); each rule lives in ``rules/<CODE>_<slug>.py``.
"""

from odibi_sql.lint.engine import LintReport, lint_project
from odibi_sql.lint.rule import Finding, Rule

__all__ = ["Finding", "LintReport", "Rule", "lint_project"]
