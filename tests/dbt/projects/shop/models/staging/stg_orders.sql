-- depends_on: {{ ref('raw_orders') }}
select
    id as order_id,
    user_id as customer_id,
    order_date,
    status,
    ordered_at
from {{ source('raw', 'orders') }}
