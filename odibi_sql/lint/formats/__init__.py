"""Output formats of ``odibi-sql lint``: each renders one ``LintReport`` (one module per format).

``text`` returns styled segments for the CLI to print with rich (nothing below ``cli/`` imports
rich); the others return the exact text to write.
"""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"
