"""Rows of a parquet table in a local folder, added up from its files' footers.

Spark writes each parquet file's row count into the file's footer, so a table's rows are known
without a Spark job; a ``COUNT(*)`` costs a catalog lookup, a file listing and a job, about as
long as writing a small table. Files whose names start with ``_`` or ``.`` are not the table's
(Spark skips them too).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

_FOOTER_ROWS = "select coalesce(sum(num_rows), 0) from parquet_file_metadata(?)"


def footer_rows(folder: Path) -> int | None:
    """Rows in the parquet files directly in ``folder``; None if it holds anything else."""
    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.iterdir() if not p.name.startswith(("_", ".")))
    if not files:
        return 0
    if not all(p.is_file() and p.name.endswith(".parquet") for p in files):
        return None
    try:
        with duckdb.connect() as con:
            found = con.execute(_FOOTER_ROWS, [[str(p) for p in files]]).fetchone()
    except duckdb.Error:
        return None
    return int(found[0]) if found is not None else None
