{{ config(materialized='incremental', unique_key=['user_id'], incremental_strategy='delete+insert') }}

with events as (
    select * from {{ ref('events_merged') }}
)

select
    user_id,
    count(*) as events,
    sum(amount) as total_amount,
    max(updated_at) as last_seen
from events
{% if is_incremental() %}
where user_id in (
    select user_id from events where updated_at > (select max(last_seen) from {{ this }})
)
{% endif %}
group by user_id
