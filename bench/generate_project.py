"""Generate a layered bronze/silver/gold project of N nodes for benchmarks.

Bronze nodes read CSV (or parquet) files of ``rows`` rows (20 by default); silver nodes select with
expressions, join two upstream nodes, or compute window functions; gold nodes aggregate. Every
node keeps the same ten columns so any node can feed any later one. The layout is deterministic
for a given N.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

COLUMNS = ["id", "key", "ts", "amount", "category", "c5", "c6", "c7", "c8", "c9"]
SOURCES = 10

SELECT = """select id, key, ts, amount * 1.1 as amount, upper(category) as category,
       c5, c6 + 1 as c6, c7, c8, coalesce(c9, 'n/a') as c9
from {{{{ ref('{u}') }}}}
where amount > {{{{ var('min_amount', 0) }}}}
"""
JOIN = """select a.id, a.key, a.ts, a.amount + coalesce(b.amount, 0) as amount, a.category,
       a.c5, b.c6, a.c7, a.c8, a.c9
from {{{{ ref('{u}') }}}} a
left join {{{{ ref('{v}') }}}} b on a.id = b.id and a.key = b.key
"""
WINDOW = """select id, key, ts,
       sum(amount) over (partition by key order by ts rows between unbounded preceding and current row) as amount,
       category, c5, c6,
       row_number() over (partition by key order by ts desc) as c7,
       c8, lag(c9) over (partition by key order by ts) as c9
from {{{{ ref('{u}') }}}}
"""
AGGREGATE = """select min(id) as id, key, max(ts) as ts, sum(amount) as amount, max(category) as category,
       count(*) as c5, max(c6) as c6, min(c7) as c7, avg(c8) as c8, max(c9) as c9
from {{{{ ref('{u}') }}}}
group by key
"""


def _write_source(path: Path, rows: int) -> None:
    if path.suffix == ".csv":
        lines = [",".join(COLUMNS)] + [
            f"{r},{r % 17},2024-01-{1 + r % 28:02d} 10:00:00,{r * 1.5},cat{r % 5},{r},{r % 3},{r % 7},{r * 0.5},x{r}"
            for r in range(rows)
        ]
        path.write_text("\n".join(lines) + "\n")
        return
    import duckdb  # the same values as the CSV, typed, built in DuckDB (fast for millions of rows)

    with duckdb.connect() as con:
        con.sql(
            "select r as id, r % 17 as key, timestamp '2024-01-01 10:00:00' + to_days(cast(r % 28 as integer)) as ts, "
            "cast(r * 1.5 as double) as amount, 'cat' || (r % 5) as category, r as c5, r % 3 as c6, r % 7 as c7, "
            "cast(r * 0.5 as double) as c8, 'x' || r as c9 from range(?) t(r)",
            params=[rows],
        ).write_parquet(str(path))


def generate(root: Path, n: int, seed: int = 7, rows: int = 20, source_format: str = "csv") -> Path:
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "pipelines").mkdir(parents=True)
    (root / "sql").mkdir()
    (root / "data").mkdir()
    (root / "odibi_project.yaml").write_text(
        "name: bench\n"
        "targets:\n  dev: {dialect: duckdb, path: target/bench.duckdb}\n"
        "connections:\n  landing: {type: files, path: data}\n"
        "defaults: {materialized: table}\n"
    )
    for i in range(SOURCES):
        _write_source(root / "data" / f"src_{i}.{source_format}", rows)
    bronze = [f"bronze_{i}" for i in range(max(SOURCES, n // 20))]
    layers = {"bronze": [], "silver": [], "gold": []}
    for i, name in enumerate(bronze):
        layers["bronze"].append(
            f"  - name: {name}\n    read: {{connection: landing, format: {source_format}, "
            f"path: src_{i % SOURCES}.{source_format}}}\n"
        )
    built = list(bronze)
    remaining = n - len(bronze)
    n_gold = remaining * 35 // 100
    n_silver = remaining - n_gold
    for i in range(n_silver):
        name = f"silver_{i}"
        window = built[-60:]
        u = rng.choice(window)
        kind = i % 3
        if kind == 0:
            sql = SELECT.format(u=u)
        elif kind == 1:
            v = rng.choice([x for x in window if x != u] or [u])
            sql = JOIN.format(u=u, v=v)
        else:
            sql = WINDOW.format(u=u)
        (root / "sql" / f"{name}.sql").write_text(sql)
        layers["silver"].append(f"  - name: {name}\n    sql: sql/{name}.sql\n")
        built.append(name)
    silver = built[len(bronze) :] or bronze
    for i in range(n_gold):
        name = f"gold_{i}"
        (root / "sql" / f"{name}.sql").write_text(AGGREGATE.format(u=rng.choice(silver)))
        layers["gold"].append(f"  - name: {name}\n    sql: sql/{name}.sql\n")
    for layer, nodes in layers.items():
        text = f"pipeline: {layer}\ntags: [{layer}]\nnodes:\n" + "".join(nodes)
        (root / "pipelines" / f"{layer}.yaml").write_text(text)
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=20, help="rows in each source file")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv", help="source file format")
    args = parser.parse_args()
    generate(args.out, args.n, rows=args.rows, source_format=args.format)
    print(f"generated {args.n} nodes in {args.out}")
