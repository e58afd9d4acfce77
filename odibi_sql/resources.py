"""Locate the data shipped with the package: ``macros/`` and ``dialects/``.

In a source checkout they sit at the repository root; in an installed wheel they are
force-included under ``odibi_sql/_data/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder of shipped data called ``name`` (``macros`` or ``dialects``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"odibi-sql is installed without its {name}/ folder")
