"""A small but realistic medallion project used by the functional tests."""

SHOP = {
    "odibi_project.yaml": """
        name: shop
        default_target: dev
        targets:
          dev: {dialect: duckdb, path: target/shop.duckdb}
        connections:
          landing: {type: files, path: data}
        vars:
          min_amount: 0
        defaults: {materialized: table}
        seeds:
          status_map:
            columns:
              code: {type: VARCHAR, tests: [unique]}
    """,
    "env.prod.yaml": """
        vars:
          min_amount: 10
        targets:
          dev: {dialect: duckdb, path: target/prod.duckdb}
    """,
    "data/orders.csv": """
        order_id,customer_id,status,amount,updated_at
        1,10,S,12.5,2024-01-01 10:00:00
        2,10,D,8.0,2024-01-02 11:00:00
        3,11,S,30.0,2024-01-03 12:00:00
        4,12,C,5.0,2024-01-04 09:30:00
    """,
    "data/customers.csv": """
        customer_id,name,state
        10,Ana,SP
        11,Bruno,RJ
        12,Carla,SP
    """,
    "seeds/status_map.csv": """
        code,label
        S,shipped
        D,delivered
        C,canceled
    """,
    "macros/money.sql": """
        {% macro positive(column) -%}
            {{ column }} > {{ var('min_amount') }}
        {%- endmacro %}
    """,
    "pipelines/bronze.yaml": """
        pipeline: bronze
        tags: [bronze]
        nodes:
          - name: raw_orders
            read: {connection: landing, format: csv, path: orders.csv, options: {header: true}}
          - name: raw_customers
            read: {connection: landing, format: csv, path: customers.csv}
            columns:
              customer_id: {type: INTEGER}
    """,
    "pipelines/silver.yaml": """
        pipeline: silver
        tags: [silver]
        nodes:
          - name: orders_labeled
            materialized: ephemeral
            sql: |
              select o.*, m.label as status_label
              from {{ ref('raw_orders') }} o
              left join {{ ref('status_map') }} m on o.status = m.code
          - name: clean_orders
            sql: sql/clean_orders.sql
            materialized: incremental
            write:
              mode: merge
              unique_key: [order_id]
              hwm_column: updated_at
            columns:
              order_id: {tests: [unique, not_null]}
          - name: customer_orders
            inputs: [clean_orders]
            transform:
              - filter_rows: {condition: "status_label <> 'canceled'"}
    """,
    "sql/clean_orders.sql": """
        select
            order_id,
            customer_id,
            status_label,
            amount,
            updated_at
        from {{ ref('orders_labeled') }}
        where {{ positive('amount') }}
    """,
    "pipelines/gold.yaml": """
        pipeline: gold
        tags: [gold]
        nodes:
          - name: revenue_by_state
            sql: |
              select c.state, count(*) as orders, sum(o.amount) as revenue,
                     rank() over (order by sum(o.amount) desc) as state_rank
              from {{ ref('customer_orders') }} o
              join {{ ref('raw_customers') }} c using (customer_id)
              group by c.state
    """,
}
