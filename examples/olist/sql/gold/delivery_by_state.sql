-- Delivery performance by the state the customer lived in when they ordered: the customer_history
-- version valid at purchase time, not today's address. Late = delivered after the promised date.
with delivered as (
    select
        o.order_id,
        c.customer_state,
        o.delivery_days,
        o.delivery_delay_days
    from {{ ref('orders') }} as o
    join {{ ref('customer_history') }} as c
        on c.customer_id = o.customer_id
        and {{ valid_at('c', 'o.order_purchase_timestamp') }}
    where o.order_status = 'delivered'
        and o.order_date >= cast('{{ var("report_start") }}' as date)
),

review_scores as (
    select order_id, avg(review_score) as review_score
    from {{ ref('order_reviews') }}
    group by order_id
)

select
    d.customer_state,
    s.state_name,
    s.region,
    count(*) as delivered_orders,
    count(case when d.delivery_delay_days > 0 then 1 end) as late_orders,
    round(avg(d.delivery_days), 1) as avg_delivery_days,
    round(avg(d.delivery_delay_days), 1) as avg_delay_days,
    round(avg(r.review_score), 2) as avg_review_score
from delivered as d
join {{ ref('brazil_states') }} as s on s.state = d.customer_state
left join review_scores as r on r.order_id = d.order_id
group by d.customer_state, s.state_name, s.region
