"""The local Spark target of docs/spark.md, driven as a user drives it: every command a separate
``odibi-sql`` process (a new JVM each time). Tables, high-water marks and merges carry over from one
process to the next because the catalog is kept on disk under target/; nothing lands in the working
directory. The tables are read back from their parquet files with DuckDB after each command.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.functional.helpers import write_csv, write_project

pytestmark = [pytest.mark.spark, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 1800  # seconds per command: bounded, with room for a heavily loaded machine
HEADER = "id,customer,country,amount,ts"
FILES = {
    "odibi_project.yaml": """
        name: shop
        targets:
          local: {dialect: spark, master: "local[2]", warehouse: target/spark-warehouse, table_format: parquet}
        default_target: local
        connections:
          landing: {type: files, path: data}
    """,
    "seeds/countries.csv": "code,name\nFR,France\nDE,Germany\n",
    "pipelines/shop.yaml": """
        pipeline: shop
        nodes:
          - name: src
            read: {connection: landing, format: csv, path: "orders/*.csv"}
          - name: current
            materialized: view
            transform:
              - deduplicate: {keys: [id], order_by: "ts desc"}
            inputs: [src]
          - name: orders
            materialized: incremental
            write: {mode: append, hwm_column: ts}
            sql: "select id, customer, amount, ts from {{ ref('src') }} where ts > {{ hwm }}"
          - name: latest
            materialized: incremental
            write: {mode: merge, unique_key: [id], hwm_column: ts}
            sql: "select id, customer, country, amount, ts from {{ ref('current') }} where ts > {{ hwm }}"
          - name: revenue
            materialized: table
            sql: >
              select c.name as country, sum(l.amount) as amount
              from {{ ref('latest') }} l join {{ ref('countries') }} c on l.country = c.code
              group by c.name
          - name: returns_src
            read: {connection: landing, format: csv, path: "returns/*.csv"}
          - name: returned
            materialized: table
            sql: "select id, cast(qty as int) as qty from {{ ref('returns_src') }}"
          - name: returned_total
            materialized: table
            sql: "select sum(qty) as qty from {{ ref('returned') }}"
    """,
}


def _cli(root: Path, cwd: Path, *args: str, expect: int = 0) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": sys.executable,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "odibi_sql", *args, "--project-dir", str(root)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the CLI and its JVM, killed together if it hangs
    )
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    out = stdout + stderr
    assert proc.returncode == expect, f"exit {proc.returncode} != {expect}\n{out}"
    assert "Traceback" not in out, out
    return out


def _table(root: Path, relation: str, columns: str) -> list[tuple]:
    """The rows of a parquet table, read from its files in the warehouse."""
    schema, table = relation.split(".")
    files = root / f"target/spark-warehouse/{schema}.db/{table}/*.parquet"
    with duckdb.connect() as con:
        return con.execute(f"select {columns} from read_parquet('{files}') order by all").fetchall()


def test_seed_incremental_full_refresh_and_resume_across_processes(tmp_path):
    root = write_project(tmp_path / "shop", FILES)
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    orders = "id, customer, amount, strftime(ts, '%m-%d')"
    write_csv(
        root / "data/orders/b1.csv",
        HEADER,
        ["1,ann,FR,10,2024-01-01 10:00:00", "2,bob,DE,20,2024-01-02 10:00:00"],
    )
    write_csv(root / "data/returns/r1.csv", "id,qty", ["1,1"])

    _cli(root, cwd, "seed")
    assert _table(root, "seeds.countries", "*") == [("DE", "Germany"), ("FR", "France")]

    out = _cli(root, cwd, "run")
    assert "ERROR=0" in out
    assert _table(root, "shop.orders", orders) == [(1, "ann", 10, "01-01"), (2, "bob", 20, "01-02")]
    assert _table(root, "shop.revenue", "*") == [("France", 10), ("Germany", 20)]

    # a second batch: order 2 changed, order 3 is new (the seed is loaded again in the same run)
    write_csv(
        root / "data/orders/b2.csv",
        HEADER,
        ["3,ann,FR,5,2024-01-03 10:00:00", "2,bob,DE,25,2024-01-04 10:00:00"],
    )
    out = _cli(root, cwd, "run")
    assert "[incremental incremental" in out and "ERROR=0" in out, out
    assert _table(root, "shop.orders", orders) == [
        (1, "ann", 10, "01-01"),
        (2, "bob", 20, "01-02"),
        (2, "bob", 25, "01-04"),
        (3, "ann", 5, "01-03"),
    ]
    assert _table(root, "shop.latest", "id, amount") == [(1, 10), (2, 25), (3, 5)]
    assert _table(root, "shop.revenue", "*") == [("France", 15), ("Germany", 25)]

    # an old file corrected: only a full refresh reads it again; a bad value fails one node (its
    # child is skipped), the others are rebuilt
    write_csv(
        root / "data/orders/b1.csv",
        HEADER,
        ["1,ann,FR,11,2024-01-01 10:00:00", "2,bob,DE,20,2024-01-02 10:00:00"],
    )
    write_csv(root / "data/returns/r2.csv", "id,qty", ["3,two"])
    out = _cli(root, cwd, "run", "--full-refresh", expect=1)
    assert "full_refresh" in out and "PASS=7 ERROR=1 SKIP=1" in out, out
    body, recap = out.split("Completed with 1 failure:")  # the recap repeats each failure's first line
    assert body.count("CAST_INVALID_INPUT") == 1, out  # once, under its node: no pyspark log of its own
    assert "ERROR returned: " in recap, out
    assert _table(root, "shop.orders", orders) == [
        (1, "ann", 11, "01-01"),
        (2, "bob", 20, "01-02"),
        (2, "bob", 25, "01-04"),
        (3, "ann", 5, "01-03"),
    ]
    assert _table(root, "shop.latest", "id, amount") == [(1, 11), (2, 25), (3, 5)]
    assert _table(root, "shop.revenue", "*") == [("France", 16), ("Germany", 25)]

    assert _table(root, "shop.returned", "*") == [(1, 1)]
    # the value fixed: --resume runs just the failed node and the skipped one
    write_csv(root / "data/returns/r2.csv", "id,qty", ["3,2"])
    out = _cli(root, cwd, "run", "--resume")
    assert "PASS=2 ERROR=0 SKIP=0 TOTAL=2" in out and " orders " not in out, out
    assert _table(root, "shop.returned", "*") == [(1, 1), (3, 2)]
    assert _table(root, "shop.returned_total", "*") == [(3,)]
    assert _table(root, "shop.orders", "count(*)") == [(4,)]

    assert list(cwd.iterdir()) == []  # no metastore_db, derby.log or spark-warehouse in the cwd
    assert {p.name for p in (root / "target").iterdir()} >= {"spark-warehouse", "spark-metastore"}


@pytest.mark.parametrize(
    ("made", "says"),
    [
        (["spark-warehouse/shop.db"], "holds tables but their catalog"),
        (["spark-metastore/metastore_db"], "lists tables whose warehouse"),
        (["spark-metastore/metastore_db", "spark-warehouse"], "describes the warehouse /elsewhere"),
    ],
)
def test_a_warehouse_and_catalog_that_do_not_belong_together_are_refused(tmp_path, made, says):
    """Checked before Spark starts: one message saying what to do, exit 2, nothing run."""
    root = write_project(tmp_path / "shop", FILES)
    for folder in made:
        (root / "target" / folder).mkdir(parents=True)
    if "describes" in says:  # the catalog records the warehouse it was made for
        (root / "target/spark-metastore/warehouse.txt").write_text("/elsewhere")
    write_csv(root / "data/orders/b1.csv", HEADER, ["1,ann,FR,10,2024-01-01 10:00:00"])
    write_csv(root / "data/returns/r1.csv", "id,qty", ["1,1"])
    out = _cli(root, tmp_path, "run", expect=2)
    assert "error: cannot open target local (spark): the Spark" in out and says in out, out
    assert "to fix: " in out and "SQLSTATE" not in out and out.count("error") == 1, out
    assert not (root / "target/run_results.json").exists()


HOLDER = """
import sys
from pathlib import Path

from odibi_sql.adapters import open_adapter
from odibi_sql.project.loader import load_project

adapter = open_adapter(load_project(Path(sys.argv[1])))
print("open", flush=True)
sys.stdin.read()  # holds the catalog until the test closes stdin
adapter.close()
"""


def test_a_catalog_another_process_holds_is_one_clear_error(tmp_path):
    """Spark's embedded catalog opens in one process at a time: a second odibi-sql gets one message
    naming the catalog and what to do, after its retries, as for a DuckDB file another process holds."""
    files = dict(FILES)
    files["odibi_project.yaml"] = FILES["odibi_project.yaml"].replace(
        "table_format: parquet}", "table_format: parquet, retry: {max_retries: 1, backoff_seconds: 0.1}}"
    )
    root = write_project(tmp_path / "shop", files)
    write_csv(root / "data/orders/b1.csv", HEADER, ["1,ann,FR,10,2024-01-01 10:00:00"])
    write_csv(root / "data/returns/r1.csv", "id,qty", ["1,1"])
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": sys.executable,
    }
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        out = _cli(root, tmp_path, "run", expect=1)
    finally:
        holder.communicate(input="", timeout=TIMEOUT)
    catalog = root / "target/spark-metastore"
    assert (
        f"error: cannot open target local (spark): the Spark catalog {catalog} is open in another process"
        in out
    )
    assert "to fix: another odibi-sql" in out and "tried 2 times, retry.max_retries of the target is 1" in out
    assert out.count("error") == 1 and "SQLSTATE" not in out and "Derby" not in out, out
    assert not (root / "target/run_results.json").exists()
    assert "ERROR=0" in _cli(root, tmp_path, "run")  # once the other process is done, the catalog opens
