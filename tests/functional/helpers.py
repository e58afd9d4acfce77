"""Write small projects into tmp dirs, run the CLI in-process, and execute compiled SQL on DuckDB."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from odibi_sql.cli.app import main


@dataclass
class CliResult:
    exit_code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def write_project(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def run_cli(capsys: pytest.CaptureFixture, *args: str, expect: int = 0) -> CliResult:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    result = CliResult(code, captured.out, captured.err)
    assert code == expect, f"exit {code} != {expect}\n{result.text}"
    assert "Traceback" not in result.text
    return result


def execute_compiled(project_dir: Path) -> duckdb.DuckDBPyConnection:
    """Create every compiled node of the manifest, in DAG order, on an in-memory DuckDB."""
    manifest = json.loads((project_dir / "target" / "manifest.json").read_text())
    nodes = manifest["nodes"]
    con = duckdb.connect()
    done: set[str] = set()
    while len(done) < len(nodes):
        for name, node in nodes.items():
            if name in done or not set(node["depends_on"]) <= done:
                continue
            done.add(name)
            if node["materialized"] == "ephemeral":
                continue
            schema, table = node["relation"]["schema"], node["relation"]["table"]
            con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            con.execute(f'CREATE TABLE "{schema}"."{table}" AS {node["compiled_sql"]["duckdb"]}')
    return con


def query(project_dir: Path, sql: str, database: str = "target/warehouse.duckdb") -> list[tuple]:
    """Read the built warehouse (opened read-only and closed again, so the next run can lock it)."""
    con = duckdb.connect(str(project_dir / database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def write_csv(path: Path, header: str, rows: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
