"""Transform steps chained in a real project: YAML as users write it, compiled and run on DuckDB."""

from __future__ import annotations

from tests.functional.helpers import query, run_cli, write_csv, write_project

PROJECT = """
    name: chain
    targets:
      dev: {dialect: duckdb, path: target/warehouse.duckdb}
    connections:
      landing: {type: files, path: data}
"""

# issue 8: `on:` used to load as YAML 1.1's True, the join's table alias broke qualify, and a step
# after `join` failed because the CTE name `join` is a keyword
JOIN_THEN_DERIVE = """
    pipeline: p
    nodes:
      - name: items
        read: {connection: landing, format: csv, path: items.csv}
      - name: products
        read: {connection: landing, format: csv, path: products.csv}
      - name: priced
        inputs: [items, products]
        transform:
          - join: {with: products, how: left, on: {product: sku}, select: [unit_price]}
          - derive_columns: {columns: {amount: "qty * coalesce(unit_price, 0)"}}
"""


def test_chain_join_keyed_with_on_then_another_step(tmp_path, capsys):
    root = write_project(
        tmp_path / "chain", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": JOIN_THEN_DERIVE}
    )
    write_csv(root / "data/items.csv", "item,product,qty", ["1,a,2", "2,b,1", "3,z,5"])
    write_csv(root / "data/products.csv", "sku,unit_price", ["a,10", "b,3"])
    assert "PASS=3 ERROR=0" in run_cli(capsys, "run", "--project-dir", root).text
    assert query(root, "select item, product, qty, unit_price, amount from p.priced order by item") == [
        (1, "a", 2, 10, 20),
        (2, "b", 1, 3, 3),
        (3, "z", 5, None, 0),
    ]


UNION_THEN_FILTER = """
    pipeline: p
    nodes:
      - name: web
        read: {connection: landing, format: csv, path: web.csv}
      - name: shop
        read: {connection: landing, format: csv, path: shop.csv}
      - name: sales
        inputs: [web, shop]
        transform:
          - union: {with: shop}
          - filter_rows: {condition: "amount > 1"}
"""


def test_chain_union_by_name_then_another_step(tmp_path, capsys):
    root = write_project(
        tmp_path / "chain", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": UNION_THEN_FILTER}
    )
    write_csv(root / "data/web.csv", "id,amount,referrer", ["1,5,ads", "2,1,mail"])
    write_csv(root / "data/shop.csv", "id,amount,store", ["3,7,lisbon"])
    assert "PASS=3 ERROR=0" in run_cli(capsys, "run", "--project-dir", root).text
    assert query(root, "select id, amount, referrer, store from p.sales order by id") == [
        (1, 5, "ads", None),
        (3, 7, None, "lisbon"),
    ]
