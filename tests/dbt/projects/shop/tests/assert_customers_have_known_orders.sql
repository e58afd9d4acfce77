{{ config(severity='warn') }}

select o.order_id, o.customer_id
from {{ ref('orders') }} as o
left join {{ ref('customers') }} as c on o.customer_id = c.customer_id
where c.customer_id is null
