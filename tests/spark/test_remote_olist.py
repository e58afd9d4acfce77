"""The example project (examples/olist) built by ``odibi-sql build`` (a separate process, as a user
runs it) through a Spark Connect server and on a standalone cluster of two workers, both started
from the installed pyspark on 127.0.0.1: every node and data test passes, and every gold table
equals DuckDB's. The Spark tables are read back from their parquet files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.functional.helpers import write_project
from tests.spark.engines import duckdb_rows, normalized, select_all
from tests.spark.servers import HOST, connect_server, spark_env, standalone_cluster
from tests.spark.test_olist import GOLD, _example_files

pytestmark = [pytest.mark.spark, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SUMMARY = ("PASS=26 ERROR=0 SKIP=0", "Tests: PASS=57 FAIL=0 WARN=0 ERROR=0")


@pytest.fixture(scope="module")
def olist_on_duckdb(tmp_path_factory) -> tuple[Path, dict[str, tuple]]:
    """The example generated and built on DuckDB; its gold tables (columns by name, sorted rows)."""
    root = write_project(tmp_path_factory.mktemp("olist") / "olist", _example_files())
    subprocess.run([sys.executable, str(root / "generate_data.py")], check=True, capture_output=True)
    code = subprocess.run(
        [sys.executable, "-m", "odibi_sql", "build", "--project-dir", str(root), "--target", "duckdb"],
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert code.returncode == 0 and all(s in code.stdout for s in SUMMARY), code.stdout + code.stderr
    database = str(root / "target/warehouse.duckdb")
    gold = {}
    for relation in GOLD:
        columns, rows = duckdb_rows(select_all(*relation.split("."), "duckdb"), database)
        gold[relation] = _by_name(columns, rows)
    shutil.rmtree(root / "target")
    return root, gold


def _env(root: Path) -> dict[str, str]:
    env = spark_env(root)
    env["PYTHONPATH"] = str(REPO)
    return env


def _by_name(columns: list[str], rows: list[tuple]) -> tuple:
    order = sorted(range(len(columns)), key=lambda i: columns[i])
    return [columns[i] for i in order], normalized([row[i] for i in order] for row in rows)


def _build_on_spark(source: Path, tmp: Path, target: dict) -> Path:
    """A copy of the generated project with ``target`` as its spark target, built in a new process."""
    root = tmp / "olist"
    shutil.copytree(source, root)
    config = yaml.safe_load((root / "odibi_project.yaml").read_text())
    config["targets"]["spark"] = {"dialect": "spark", "table_format": "parquet", **target}
    (root / "odibi_project.yaml").write_text(yaml.safe_dump(config))
    done = subprocess.run(
        [sys.executable, "-m", "odibi_sql", "build", "--project-dir", str(root), "--target", "spark"],
        cwd=tmp,
        env=_env(tmp),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0 and all(s in out for s in SUMMARY), out
    assert "Traceback" not in out, out
    return root


def _assert_gold_equal(warehouse: Path, gold: dict[str, tuple]) -> None:
    for relation, expected in gold.items():
        schema, table = relation.split(".")
        files = warehouse / f"{schema}.db/{table}/*.parquet"
        with duckdb.connect() as con:
            cursor = con.execute(f"select * from read_parquet('{files}')")
            columns, rows = [d[0] for d in cursor.description], cursor.fetchall()
        assert expected[1], f"{relation} is empty"
        assert _by_name(columns, rows) == expected, f"{relation} differs from DuckDB's"


def test_olist_through_spark_connect_equals_duckdb(tmp_path, olist_on_duckdb):
    source, gold = olist_on_duckdb
    with connect_server(tmp_path) as url:
        assert url.startswith(f"sc://{HOST}:")
        _build_on_spark(source, tmp_path, {"remote": url})
    _assert_gold_equal(tmp_path / "warehouse", gold)


def test_olist_on_a_standalone_cluster_equals_duckdb(tmp_path, olist_on_duckdb):
    source, gold = olist_on_duckdb
    executors = {"spark.executor.memory": "512m", "spark.executor.cores": "1", "spark.cores.max": "2"}
    with standalone_cluster(tmp_path, workers=2) as master:
        root = _build_on_spark(source, tmp_path, {"master": master, "conf": executors})
        logs = list(tmp_path.glob("worker*/app-*/*/stderr"))
    assert len({p.parts[-4] for p in logs}) == 2, "both workers ran executors"
    _assert_gold_equal(root / "target/spark-warehouse", gold)


def test_a_remote_target_without_the_connect_packages_is_one_clear_error(tmp_path):
    """The Connect client's packages hidden from the process: one error naming the extra."""
    root = write_project(
        tmp_path,
        {
            "odibi_project.yaml": """
                name: p
                targets:
                  remote: {dialect: spark, remote: "sc://127.0.0.1:1", table_format: parquet}
            """,
            "pipelines/p.yaml": "pipeline: p\nnodes:\n  - {name: a, sql: 'select 1 as x'}\n",
        },
    )
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "grpc.py").write_text("raise ImportError('No module named grpc')\n")
    env = _env(tmp_path)
    env["PYTHONPATH"] = f"{hide}:{REPO}"
    done = subprocess.run(
        [sys.executable, "-m", "odibi_sql", "run", "--project-dir", str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "pip install 'odibi-sql[connect]'" in out and "grpcio" in out and "Traceback" not in out, out
