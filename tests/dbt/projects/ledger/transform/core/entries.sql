{{ config(unique_key='entry_id', incremental_strategy='delete+insert') }}

select
    e.entry_id,
    e.account_id,
    e.currency,
    e.amount,
    e.amount * r.rate_to_eur as amount_eur,
    e.booked_at
from {{ source('bank', 'ledger') }} as e
join {{ ref('currencies') }} as r using (currency)
{% if is_incremental() %}
where e.booked_at > (select max(booked_at) from {{ this }})
{% endif %}
