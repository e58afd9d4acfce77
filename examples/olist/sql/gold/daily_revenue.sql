-- Revenue per purchase day in BRL, USD and EUR. silver.order_lines converted each item at its
-- order date's rate; canceled and unavailable orders earn nothing.
select
    order_date,
    count(distinct order_id) as orders,
    count(*) as items,
    sum(amount_brl) as revenue_brl,
    sum(amount_usd) as revenue_usd,
    sum(amount_eur) as revenue_eur
from {{ ref('order_lines') }}
where {{ counts_as_revenue('order_status') }}
    and order_date >= cast('{{ var("report_start") }}' as date)
group by order_date
