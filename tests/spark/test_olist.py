"""The example project (examples/olist) built with ``odibi-sql build`` on DuckDB and on Spark
(parquet tables): every node and data test passes on both, and the gold tables are equal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.functional.helpers import run_cli
from tests.spark.engines import ENGINES, TARGETS, Pair

pytestmark = [pytest.mark.spark, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/olist"
GOLD = ["gold.daily_revenue", "gold.top_categories", "gold.delivery_by_state", "gold.freight_vs_delivery"]


def _example_files() -> dict[str, str]:
    files = {
        str(p.relative_to(EXAMPLE)): p.read_text()
        for p in EXAMPLE.rglob("*")
        if p.is_file() and not {"data", "target"} & set(p.relative_to(EXAMPLE).parts)
    }
    config = yaml.safe_load(files["odibi_project.yaml"])
    config["targets"] = yaml.safe_load(TARGETS)["targets"]
    config["default_target"] = "duckdb"
    files["odibi_project.yaml"] = yaml.safe_dump(config)
    return files


def test_olist_builds_the_same_gold_tables_on_duckdb_and_spark(tmp_path, capsys, clean_spark):
    pair = Pair(tmp_path, _example_files(), clean_spark)
    pair.each(lambda root: subprocess.run([sys.executable, str(root / "generate_data.py")], check=True))
    for engine, root in pair.roots.items():
        out = run_cli(capsys, "build", "--project-dir", root, "--target", engine).text
        assert "PASS=26 ERROR=0 SKIP=0" in out and "Tests: PASS=57 FAIL=0 WARN=0 ERROR=0" in out, out
    for relation in GOLD:
        assert pair.assert_same(relation), f"{relation} is empty"
    assert set(ENGINES) == set(pair.roots)
