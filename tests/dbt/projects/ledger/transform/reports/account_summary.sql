select
    account_id,
    '{{ var("base_currency") }}' as currency,
    round(sum(amount_eur), 2) as total
from {{ ref('entries') }}
group by account_id
