"""A project exercising every construct lineage follows; expectations in the tests are hand-checked."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.functional.helpers import write_project

LINEAGE = {
    "odibi_project.yaml": """
        name: lin
        targets:
          dev: {dialect: duckdb, path: target/lin.duckdb}
        connections:
          landing: {type: files, path: data}
          erp: {type: duckdb, path: data/erp.duckdb}
        defaults: {materialized: table}
    """,
    "data/orders.csv": """
        order_id,customer_id,amount,status,ordered_at
        1,10,120.0,paid,2024-01-01 10:00:00
        2,10,30.0,paid,2024-01-02 10:00:00
        3,11,80.0,open,2024-01-03 10:00:00
    """,
    "data/customers.csv": """
        customer_id,name,email,segment
        10,ana,ana@x.io,retail
        11,bruno,bruno@x.io,test
    """,
    "data/refunds.csv": """
        order_id,amount
        2,30.0
    """,
    "pipelines/bronze.yaml": """
        pipeline: bronze
        nodes:
          - name: raw_orders
            read: {connection: landing, format: csv, path: orders.csv}
          - name: raw_customers
            read: {connection: landing, format: csv, path: customers.csv}
            columns:
              customer_id: {type: INTEGER}
          - name: raw_refunds
            read: {connection: landing, format: csv, path: refunds.csv}
    """,
    "pipelines/silver.yaml": """
        pipeline: silver
        nodes:
          - name: customers_eph
            materialized: ephemeral
            sql: |
              select customer_id, upper(name) as name, email
              from {{ ref('raw_customers') }}
              where segment <> 'test'
          - name: orders_enriched
            sql: |
              with paid as (
                select order_id, customer_id, amount, ordered_at
                from {{ ref('raw_orders') }}
                where status = 'paid'
              )
              select p.order_id,
                     p.customer_id,
                     c.name as customer_name,
                     case when p.amount >= 100 then 'large' else 'small' end as size,
                     p.amount * 1.1 as amount_with_tax,
                     md5(c.email) as email_hash,
                     row_number() over (partition by p.customer_id order by p.ordered_at) as order_seq
              from paid p
              join {{ ref('customers_eph') }} c on p.customer_id = c.customer_id
          - name: movements
            sql: |
              select order_id, amount, 'order' as kind from {{ ref('raw_orders') }}
              union all
              select order_id, -amount, 'refund' from {{ ref('raw_refunds') }}
          - name: orders_star
            sql: select * from {{ ref('raw_orders') }}
          - name: chained
            inputs: [raw_orders]
            transform:
              - filter_rows: {condition: "amount > 0"}
              - derive_columns: {columns: {amount_cents: "amount * 100"}}
              - rename_columns: {columns: {status: order_status}}
          - name: crm_copy
            sql: select * from {{ source('erp', 'crm_customers') }}
    """,
    "pipelines/gold.yaml": """
        pipeline: gold
        nodes:
          - name: customer_revenue
            sql: |
              select customer_id,
                     count(*) as orders,
                     sum(amount_with_tax) as revenue,
                     max(customer_name) as name
              from {{ ref('orders_enriched') }}
              group by customer_id
              having sum(amount_with_tax) > 0
    """,
}


def write_lineage_project(root: Path) -> Path:
    """The project, plus the attached ERP database whose table no node declares."""
    write_project(root, LINEAGE)
    con = duckdb.connect(str(root / "data" / "erp.duckdb"))
    try:
        con.execute("create table crm_customers (id integer, tier varchar)")
    finally:
        con.close()
    return root
