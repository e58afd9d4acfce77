"""A small base project every lint case builds on: two CSV sources in a bronze pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.functional.helpers import write_project

BASE = {
    "odibi_project.yaml": """
        name: lintcase
        targets:
          dev: {dialect: duckdb, path: target/lintcase.duckdb}
        connections:
          landing: {type: files, path: data}
    """,
    "data/orders.csv": """
        order_id,customer_id,status,amount,updated_at
        1,10,S,12.5,2024-01-01 10:00:00
        2,10,D,8.0,2024-01-02 11:00:00
    """,
    "data/customers.csv": """
        customer_id,name,state
        10,Ana,SP
    """,
    "pipelines/bronze.yaml": """
        pipeline: bronze
        nodes:
          - name: raw_orders
            read: {connection: landing, format: csv, path: orders.csv}
            columns:
              order_id: {tests: [unique]}
          - name: raw_customers
            read: {connection: landing, format: csv, path: customers.csv}
    """,
}


@pytest.fixture
def make_project(tmp_path: Path):
    """Write BASE plus ``files`` (which may replace BASE's) into a fresh folder."""

    def make(files: dict[str, str]) -> Path:
        return write_project(tmp_path / "project", {**BASE, **files})

    return make
