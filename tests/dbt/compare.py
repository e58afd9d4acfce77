"""Read every relation of a DuckDB file: kind, columns with types, rows (as a sorted multiset)."""

from __future__ import annotations

from pathlib import Path

import duckdb

Relation = tuple[str, list[tuple[str, str]], list[tuple]]


def relations(path: Path) -> dict[tuple[str, str], Relation]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        found = con.execute(
            "select table_schema, table_name, table_type from information_schema.tables"
            " where table_catalog = current_database() order by 1, 2"
        ).fetchall()
        for schema, name, kind in found:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns where table_catalog ="
                " current_database() and table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            rows = con.execute(f'select * from "{schema}"."{name}"').fetchall()
            out[(schema, name)] = (kind, columns, sorted(rows, key=repr))
        return out
    finally:
        con.close()


def is_odibi_bookkeeping(schema: str, name: str) -> bool:
    """Relations odibi-sql keeps beside the models: run metadata and rows a seed could not parse."""
    return schema == "odibi_meta" or name.endswith("__rejected")
