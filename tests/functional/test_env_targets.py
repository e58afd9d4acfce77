"""``--env NAME`` can change the target: another database file, or another engine."""

from __future__ import annotations

import json

from tests.functional.helpers import query, run_cli, write_project

FILES = {
    "odibi_project.yaml": """
        name: envs
        default_target: dev
        targets:
          dev: {dialect: duckdb, path: target/dev.duckdb}
        vars: {factor: 1}
    """,
    "env.prod.yaml": """
        default_target: prod
        targets:
          prod: {dialect: duckdb, path: target/prod.duckdb}
        vars: {factor: 10}
    """,
    "env.lake.yaml": """
        default_target: lake
        targets:
          lake: {dialect: spark, master: "local[1]"}
    """,
    "pipelines/p.yaml": """
        pipeline: p
        nodes:
          - name: n
            sql: "select {{ var('factor') }} as factor, '{{ target.name }}' as target_name"
    """,
}


def test_env_switches_the_database_file(tmp_path, capsys):
    root = write_project(tmp_path / "envs", FILES)
    run_cli(capsys, "run", "--project-dir", root)
    run_cli(capsys, "run", "--project-dir", root, "--env", "prod")
    assert query(root, "select * from p.n", "target/dev.duckdb") == [(1, "dev")]
    assert query(root, "select * from p.n", "target/prod.duckdb") == [(10, "prod")]


def test_env_switches_the_engine(tmp_path, capsys):
    root = write_project(tmp_path / "envs", FILES)
    run_cli(capsys, "compile", "--project-dir", root, "--env", "lake")
    manifest = json.loads((root / "target/manifest.json").read_text())
    assert manifest["metadata"]["target"] == "lake" and manifest["metadata"]["dialects"] == ["spark"]
    assert "'lake' AS target_name" in (root / "target/compiled/spark/p/n.sql").read_text()
