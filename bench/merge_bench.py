"""Benchmark: an incremental merge of 1% new and changed rows into a 10M-row table, against a full
refresh of the same node.

Target (issue 4): the incremental run costs under 10% of the full refresh.

The source is one parquet file, built in DuckDB from ``range()``. The node is
``materialized: incremental`` with ``write: {mode: merge, unique_key: [id], hwm_column: updated_at}``.
After the first run builds the target, the source is rewritten with 1% of ``--rows`` newer rows:
half are updates of existing ids, half are new ids. Then, per repeat: the target is restored to
its state before the merge, ``odibi-sql run`` (the merge) is timed, then ``odibi-sql run
--full-refresh`` of the same node; each as a fresh process (start-up and compile included). Both
must leave the same rows.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import measure  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TARGET_RATIO = 0.10

_SOURCE = """
select r as id, r % 100000 as customer_id,
       cast(r % 10000 as double) / 100 + case when changed then 1 else 0 end as amount,
       case when changed then 'changed' else ['open', 'paid', 'shipped'][1 + r % 3] end as status,
       'category_' || (r % 40) as category,
       'note for order ' || r as note,
       case when changed
            then timestamp '2024-07-01 00:00:00' + to_seconds(r % 86400)
            else timestamp '2024-01-01 00:00:00' + to_seconds(r % (180 * 86400)) end as updated_at
from (select r, r >= ? or (r % ? = 0 and ? > 0) as changed from range(?) t(r))
"""


def write_source(path: Path, rows: int, changed: int) -> None:
    """``rows`` rows; with ``changed``, half of them updated in place (newer updated_at) and as many
    new ids appended."""
    updates = changed // 2
    inserts = changed - updates
    step = rows // updates if updates else 1
    with duckdb.connect() as con:
        con.sql(_SOURCE, params=[rows, step, updates, rows + inserts]).write_parquet(str(path))


def make_project(root: Path, rows: int) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "pipelines").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "odibi_project.yaml").write_text(
        "name: merge_bench\n"
        "targets:\n  dev: {dialect: duckdb, path: target/merge.duckdb}\n"
        "connections:\n  landing: {type: files, path: data}\n"
    )
    (root / "pipelines" / "orders.yaml").write_text(
        "pipeline: sales\n"
        "nodes:\n"
        "  - name: events\n"
        "    read: {connection: landing, format: parquet, path: events.parquet}\n"
        "  - name: orders\n"
        "    materialized: incremental\n"
        '    sql: "select id, customer_id, amount, status, category, note, updated_at\n'
        "      from {{ ref('events') }} where updated_at > {{ hwm }}\"\n"
        "    write: {mode: merge, unique_key: [id], hwm_column: updated_at}\n"
    )
    write_source(root / "data" / "events.parquet", rows, 0)
    return root


def node_result(project: Path, node: str) -> dict:
    results = json.loads((project / "target" / "run_results.json").read_text(encoding="utf-8"))
    result = next(r for r in results["results"] if r["node"] == node)
    if result["status"] != "success":
        raise RuntimeError(f"{node} failed: {result['message']}")
    return result


def fingerprint(database: Path) -> tuple:
    """Row count and an order-free hash of every row of the target."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("select count(*), sum(hash(o)) from sales.orders o").fetchall()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows in the target before the merge")
    parser.add_argument(
        "--changed-percent", type=float, default=1.0, help="new + changed rows, in %% of --rows"
    )
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    changed = int(args.rows * args.changed_percent / 100)
    project = make_project(OUT / "merge", args.rows)
    database = project / "target" / "merge.duckdb"
    start = time.perf_counter()
    measure("run", "--project-dir", str(project))
    print(f"first run: {args.rows:,} rows in {time.perf_counter() - start:.1f} s")
    write_source(project / "data" / "events.parquet", args.rows, changed)
    before = project / "target" / "before_merge.duckdb"
    shutil.copy(database, before)
    select = ("--project-dir", str(project), "--select", "orders")
    incremental, full, node_incremental, node_full = [], [], [], []
    for _ in range(args.repeats):
        shutil.copy(before, database)
        incremental.append(measure("run", *select)["wall_seconds"])
        merged = node_result(project, "orders")
        node_incremental.append(merged["seconds"])
        after_merge = fingerprint(database)
        full.append(measure("run", *select, "--full-refresh")["wall_seconds"])
        node_full.append(node_result(project, "orders")["seconds"])
        if fingerprint(database) != after_merge:
            raise RuntimeError("the merge and the full refresh left different rows")
    before.unlink()
    ratios = [i / f for i, f in zip(incremental, full, strict=True)]
    ratio = statistics.median(ratios)
    ok = "ok" if ratio < TARGET_RATIO else f"MISSED (< {TARGET_RATIO:.0%})"
    print(
        f"merged {merged['rows_affected']:,} rows ({changed:,} new + changed) into {args.rows:,}; "
        f"rows after: {after_merge[0]:,}"
    )
    print(f"{'':<26} {'incremental':>12} {'full refresh':>13} {'ratio':>6}")
    print(
        f"{'odibi-sql run wall s':<26} {statistics.median(incremental):>12.2f} {statistics.median(full):>13.2f} "
        f"{ratio:>6.1%}  {ok}   ratios: {', '.join(f'{r:.1%}' for r in ratios)}"
    )
    node_ratio = statistics.median(node_incremental) / statistics.median(node_full)
    print(
        f"{'node s (run_results)':<26} {statistics.median(node_incremental):>12.2f} "
        f"{statistics.median(node_full):>13.2f} {node_ratio:>6.1%}"
    )


if __name__ == "__main__":
    main()
