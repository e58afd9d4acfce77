-- One row per order item with everything the reports slice by: the order's status and date,
-- the product category in English, and the amount in BRL, USD and EUR at the order date's rate.
select
    i.order_item_sk,
    i.order_id,
    i.order_item_id,
    i.product_id,
    i.seller_id,
    o.customer_id,
    o.order_status,
    o.order_date,
    o.order_purchase_timestamp,
    o.delivery_days,
    p.product_category,
    p.product_weight_g,
    i.price,
    i.freight_value,
    i.price + i.freight_value as amount_brl,
    {{ convert_brl('i.price + i.freight_value', 'r.usd_per_brl') }} as amount_usd,
    {{ convert_brl('i.price + i.freight_value', 'r.eur_per_brl') }} as amount_eur
from {{ ref('order_items') }} as i
join {{ ref('orders') }} as o on o.order_id = i.order_id
join {{ ref('products') }} as p on p.product_id = i.product_id
left join {{ ref('daily_rates') }} as r on r.rate_date = o.order_date
