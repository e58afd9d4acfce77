-- Orders that are new or changed since the last load. hwm (the high-water mark) is the latest
-- modified_at already in silver.orders; on the first run (or with --full-refresh) the condition
-- lets every row through.
select
    order_id,
    customer_id,
    order_status,
    order_purchase_timestamp,
    order_approved_at,
    order_delivered_carrier_date,
    order_delivered_customer_date,
    order_estimated_delivery_date,
    modified_at
from {{ ref('raw_orders') }}
where modified_at > {{ hwm }}
