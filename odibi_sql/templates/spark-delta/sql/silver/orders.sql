select
    o.order_id,
    o.customer_id,
    o.status,
    s.label as status_label,
    s.is_final,
    o.amount,
    o.updated_at
from {{ ref('raw_orders') }} o
join {{ ref('order_status') }} s on o.status = s.status
where {{ above_minimum('o.amount') }}
