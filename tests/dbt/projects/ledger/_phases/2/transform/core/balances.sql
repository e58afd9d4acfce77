{{ config(unique_key=['account_id', 'currency'], incremental_strategy='merge', on_schema_change='append_new_columns') }}

select
    account_id,
    currency,
    sum(amount) as balance,
    max(booked_at) as last_booked_at
from {{ ref('entries') }}
group by account_id, currency
