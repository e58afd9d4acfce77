-- orders whose payments add up to a negative amount
select order_id, amount
from {{ ref('orders') }}
where amount < 0
