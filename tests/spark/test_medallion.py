"""The medallion project of ``odibi-sql init --template local-medallion``: built on DuckDB and on
Spark (parquet tables), twice (the second run is incremental), every table equal."""

from __future__ import annotations

import pytest
import yaml

from tests.functional.helpers import run_cli
from tests.spark.engines import ENGINES, TARGETS, Pair

pytestmark = pytest.mark.spark

TABLES = [
    "bronze.raw_orders",
    "bronze.raw_customers",
    "seeds.order_status",
    "silver.customers",
    "silver.orders",
    "gold.revenue_by_state",
]


def _template(tmp_path, capsys) -> dict[str, str]:
    run_cli(capsys, "init", tmp_path / "template", "--template", "local-medallion")
    root = tmp_path / "template"
    files = {str(p.relative_to(root)): p.read_text() for p in root.rglob("*") if p.is_file()}
    config = yaml.safe_load(files["odibi_project.yaml"])
    config["targets"] = yaml.safe_load(TARGETS)["targets"]
    files["odibi_project.yaml"] = yaml.safe_dump(config)
    return files


def test_medallion_template_same_tables_on_duckdb_and_spark(tmp_path, capsys, clean_spark):
    pair = Pair(tmp_path, _template(tmp_path, capsys), clean_spark)
    out = pair.run(capsys)
    for engine in ENGINES:
        assert "PASS=6 ERROR=0 SKIP=0" in out[engine], out[engine]
    gold = {t: pair.assert_same(t) for t in TABLES}
    assert gold["gold.revenue_by_state"], "the gold table is empty"

    def new_day(root):
        (root / "data/landing/orders_2.csv").write_text(
            "order_id,customer_id,status,amount,updated_at\n"
            "2,101,delivered,99.00,2024-03-05 09:00:00\n"
            "6,102,shipped,10.25,2024-03-05 10:00:00\n"
        )

    pair.each(new_day)
    out = pair.run(capsys)
    assert all("incremental incremental" in out[e] for e in ENGINES), out["spark"]
    for table in TABLES:
        after = pair.assert_same(table)
        if table == "silver.orders":
            assert len(after) == len(gold[table]) + 1  # order 2 updated, order 6 new
