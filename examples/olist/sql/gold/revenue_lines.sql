-- The order lines that earn revenue in the reporting period (the transform steps rank them).
select *
from {{ ref('order_lines') }}
where {{ counts_as_revenue('order_status') }}
    and order_date >= cast('{{ var("report_start") }}' as date)
