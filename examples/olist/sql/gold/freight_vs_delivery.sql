-- Every delivered item with the distance it travelled: from the seller's zip code to the zip code
-- the customer lived at when they ordered (point-in-time, through customer_history).
select
    l.order_item_sk,
    l.freight_value,
    l.product_weight_g,
    l.delivery_days,
    {{ haversine_km('s.latitude', 's.longitude', 'z.latitude', 'z.longitude') }} as distance_km
from {{ ref('order_lines') }} as l
join {{ ref('sellers') }} as s on s.seller_id = l.seller_id
join {{ ref('customer_history') }} as c
    on c.customer_id = l.customer_id
    and {{ valid_at('c', 'l.order_purchase_timestamp') }}
join {{ ref('zip_locations') }} as z on z.zip_code_prefix = c.customer_zip_code_prefix
where l.order_status = 'delivered'
