{% set payment_methods = ['credit_card', 'coupon', 'bank_transfer', 'gift_card'] %}

with payments as (
    select * from {{ ref('stg_payments') }}
),

order_payments as (
    select
        order_id,
        {% for method in payment_methods -%}
        sum(case when payment_method = '{{ method }}' then amount else 0 end) as {{ method }}_amount,
        {% endfor -%}
        sum(amount) as total_amount,
        sum(fee) as total_fee
    from payments
    group by order_id
)

select
    o.order_id,
    o.customer_id,
    o.order_date,
    o.status,
    o.status in ({% for s in var('completed_statuses') %}'{{ s }}'{% if not loop.last %}, {% endif %}{% endfor %}) as is_completed,
    {% for method in payment_methods -%}
    p.{{ method }}_amount,
    {% endfor -%}
    p.total_amount as amount,
    p.total_fee
from {{ ref('shop', 'stg_orders') }} as o
left join order_payments as p on o.order_id = p.order_id
