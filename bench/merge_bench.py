"""Benchmark: an incremental merge of 1% new and changed rows into a 10M-row table, against a full
refresh of the same node.

Target (issue 4): the incremental run costs under 10% of the full refresh.

The node is ``materialized: incremental`` with ``write: {mode: merge, unique_key: [id],
hwm_column: updated_at}`` over parquet built in DuckDB from ``range()``. After the first run builds
the target, 1% of ``--rows`` newer rows arrive, half of them updates of existing ids and half new
ids, in one of two layouts (both are timed by default):

- ``batch``: a new file lands next to the first (``events_*.parquet``); the node keeps the latest
  row per id (``qualify row_number() ...``), so a full refresh de-duplicates the whole history,
  while the incremental run's ``updated_at > hwm`` skips the old file by its parquet statistics.
- ``in-place``: the one source file is rewritten with the changes spread over every row group,
  so the incremental run scans the whole source (the worst case for a high-water mark).

Per repeat: the target is restored to its state before the merge, ``odibi-sql run`` (the merge)
is timed, then ``odibi-sql run --full-refresh`` of the same node; each as a fresh process
(start-up and compile included). Both must leave the same rows. Besides the wall-time ratio
(the target), the ratio of CPU seconds (steadier on a shared machine) and of the node's own
seconds (without start-up and compile) are printed.
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


def write_source(path: Path, rows: int, changed: int, only_changed: bool = False) -> None:
    """``rows`` rows; with ``changed``, half of them updated (newer updated_at) and as many new ids
    appended; ``only_changed`` writes just those."""
    updates = changed // 2
    inserts = changed - updates
    step = rows // updates if updates else 1
    query = _SOURCE + (" where changed" if only_changed else "")
    with duckdb.connect() as con:
        con.sql(query, params=[rows, step, updates, rows + inserts]).write_parquet(str(path))


_NODE = """\
pipeline: sales
nodes:
  - name: events
    read: {{connection: landing, format: parquet, path: "events_*.parquet"}}
  - name: orders
    materialized: incremental
    sql: |
      select id, customer_id, amount, status, category, note, updated_at
      from {{{{ ref('events') }}}} where updated_at > {{{{ hwm }}}}{latest}
    write: {{mode: merge, unique_key: [id], hwm_column: updated_at}}
"""
_LATEST = "\n      qualify row_number() over (partition by id order by updated_at desc) = 1"


def make_project(root: Path, rows: int, layout: str) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "pipelines").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "odibi_project.yaml").write_text(
        "name: merge_bench\n"
        "targets:\n  dev: {dialect: duckdb, path: target/merge.duckdb}\n"
        "connections:\n  landing: {type: files, path: data}\n"
    )
    node = _NODE.format(latest=_LATEST if layout == "batch" else "")
    (root / "pipelines" / "orders.yaml").write_text(node)
    write_source(root / "data" / "events_1.parquet", rows, 0)
    return root


def arrive(root: Path, rows: int, changed: int, layout: str) -> None:
    if layout == "batch":
        write_source(root / "data" / "events_2.parquet", rows, changed, only_changed=True)
    else:
        write_source(root / "data" / "events_1.parquet", rows, changed)


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


def bench(layout: str, rows: int, changed: int, repeats: int) -> None:
    project = make_project(OUT / f"merge_{layout}", rows, layout)
    database = project / "target" / "merge.duckdb"
    start = time.perf_counter()
    measure("run", "--project-dir", str(project))
    first = time.perf_counter() - start
    arrive(project, rows, changed, layout)
    before = project / "target" / "before_merge.duckdb"
    shutil.copy(database, before)
    select = ("--project-dir", str(project), "--select", "orders")
    incremental, full, node_incremental, node_full, cpu_incremental, cpu_full = [], [], [], [], [], []
    for _ in range(repeats):
        shutil.copy(before, database)
        merge_run = measure("run", *select)
        incremental.append(merge_run["wall_seconds"])
        cpu_incremental.append(merge_run["cpu_seconds"])
        merged = node_result(project, "orders")
        node_incremental.append(merged["seconds"])
        after_merge = fingerprint(database)
        full_run = measure("run", *select, "--full-refresh")
        full.append(full_run["wall_seconds"])
        cpu_full.append(full_run["cpu_seconds"])
        node_full.append(node_result(project, "orders")["seconds"])
        if fingerprint(database) != after_merge:
            raise RuntimeError("the merge and the full refresh left different rows")
    before.unlink()
    ratios = [i / f for i, f in zip(incremental, full, strict=True)]
    ratio = statistics.median(ratios)
    node_ratio = statistics.median(node_incremental) / statistics.median(node_full)
    cpu_ratio = statistics.median(cpu_incremental) / statistics.median(cpu_full)
    ok = "ok" if ratio < TARGET_RATIO else f"MISSED (< {TARGET_RATIO:.0%})"
    print(
        f"{layout:<9} {statistics.median(incremental):>15.2f} {statistics.median(full):>16.2f} {ratio:>6.1%} "
        f"{statistics.median(node_incremental):>12.2f} {statistics.median(node_full):>12.2f} {node_ratio:>11.1%}"
        f" {cpu_ratio:>10.1%}"
        f"  {ok}   ratios: {', '.join(f'{r:.1%}' for r in ratios)}"
    )
    print(
        f"{'':<9} first run {first:.1f} s; merged {merged['rows_affected']:,} rows ({changed:,} new + changed); "
        f"rows after: {after_merge[0]:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows in the target before the merge")
    parser.add_argument(
        "--changed-percent", type=float, default=1.0, help="new + changed rows, in %% of --rows"
    )
    parser.add_argument("--layout", choices=["batch", "in-place"], nargs="+", default=["batch", "in-place"])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    changed = int(args.rows * args.changed_percent / 100)
    print(
        f"{'layout':<9} {'incremental s':>15} {'full refresh s':>16} {'ratio':>6} "
        f"{'node inc s':>12} {'node full s':>12} {'node ratio':>11} {'cpu ratio':>10}"
        f"  target < {TARGET_RATIO:.0%} (wall ratio)"
    )
    for layout in args.layout:
        bench(layout, args.rows, changed, args.repeats)


if __name__ == "__main__":
    main()
