"""Seed column types: odibi-sql's inference gives the types dbt-duckdb gives (agate, as dbt runs it)."""

from __future__ import annotations

import pytest

from odibi_sql.project.dbt.seed_types import SeedTypeError, infer_seed_types

_DBT_TO_DUCKDB = {
    "integer": "INTEGER",
    "float8": "DOUBLE",
    "date": "DATE",
    "timestamp without time zone": "TIMESTAMP",
    "boolean": "BOOLEAN",
    "text": "VARCHAR",
}
COLUMNS = {
    "ints": ["1", "-2", "", "30"],
    "decimals": ["1.5", "2", "-0.25", ""],
    "whole_decimals": ["1.0", "2.00", "3"],
    "dates": ["2024-01-01", "2024-02-29", ""],
    "bad_dates": ["2024-02-30", "2024-03-01"],
    "datetimes": ["2024-01-01 10:00:00", "2024-01-02 23:59:59"],
    "iso_datetimes": ["2024-01-01T10:00:00", "2024-01-02T23:59"],
    "mixed_datetimes": ["2024-01-01 10:00:00", "2024-01-02T23:59:59"],
    "booleans": ["true", "FALSE", "True", ""],
    "bits": ["1", "0", "1"],
    "text": ["a", "1", "2024-01-01"],
    "empty": ["", "", ""],
    "padded": [" 7", "8 ", "9"],
}


def _dbt_types(path) -> dict[str, str]:
    from dbt.adapters.duckdb.impl import DuckDBAdapter
    from dbt_common.clients import agate_helper

    table = agate_helper.from_csv(str(path), text_columns=[])
    return {
        name: _DBT_TO_DUCKDB[DuckDBAdapter.convert_agate_type(table, i)]
        for i, name in enumerate(table.column_names)
    }


def test_seed_types_are_the_types_dbt_infers(tmp_path):
    rows = max(len(v) for v in COLUMNS.values())
    lines = [",".join(COLUMNS)]
    lines += [",".join(v[i] if i < len(v) else "" for v in COLUMNS.values()) for i in range(rows)]
    path = tmp_path / "seed.csv"
    path.write_text("\n".join(lines) + "\n")
    assert infer_seed_types(path) == _dbt_types(path)


def test_numbers_dbt_reads_but_duckdb_does_not_are_reported(tmp_path):
    path = tmp_path / "money.csv"
    path.write_text('id,amount\n1,"1,000"\n2,5\n')
    with pytest.raises(SeedTypeError, match="'1,000'"):
        infer_seed_types(path)
