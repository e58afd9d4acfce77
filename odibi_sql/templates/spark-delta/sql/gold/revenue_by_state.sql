select
    c.customer_state,
    count(*) as orders,
    sum(o.amount) as revenue
from {{ ref('orders') }} o
join {{ ref('customers') }} c on o.customer_id = c.customer_id
where o.status <> 'canceled'
group by c.customer_state
