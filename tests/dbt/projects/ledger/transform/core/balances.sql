{{ config(unique_key=['account_id', 'currency'], incremental_strategy='merge', on_schema_change='append_new_columns') }}

select
    account_id,
    currency,
    sum(amount) as balance
from {{ ref('entries') }}
group by account_id, currency
