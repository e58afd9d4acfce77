"""A node that runs for a while shows it is alive: its elapsed time, repeated while it runs."""

from __future__ import annotations

import time

from odibi_sql.cli.reporter import ConsoleReporter
from tests.functional.helpers import run_cli, write_project


def test_a_long_node_prints_its_elapsed_time_while_it_runs(tmp_path, capsys, monkeypatch):
    """A node slowed down by sleeping in the engine's session (a real DuckDB run); the alive lines
    come after 0.3 s and then every 0.5 s, and stop with the node."""
    from odibi_sql.adapters import duckdb as duckdb_adapter

    root = write_project(
        tmp_path,
        {
            "odibi_project.yaml": "name: demo\n",
            "pipelines/p.yaml": "pipeline: shop\nnodes:\n  - {name: slow, sql: 'select 1 as x'}\n  - {name: fast, sql: 'select 2 as x'}\n",
        },
    )
    execute = duckdb_adapter.DuckDBSession.execute

    def slow_execute(self, statement):
        if "slow" in statement.sql():
            time.sleep(1.4)
        return execute(self, statement)

    monkeypatch.setattr(duckdb_adapter.DuckDBSession, "execute", slow_execute)
    monkeypatch.setattr(
        "odibi_sql.cli.commands.run.ConsoleReporter",
        lambda: ConsoleReporter(alive_after=0.3, alive_every=0.5, tick=0.05),
    )
    out = run_cli(capsys, "run", "--project-dir", root, "--threads", "1").text
    alive = [line for line in out.splitlines() if "running for" in line]
    assert alive and all(" slow " in line for line in alive), out
    assert 2 <= len(alive) <= 4, out
    assert out.index(alive[-1]) < out.index("OK    slow"), out
