{{ config(materialized='incremental', unique_key='event_id') }}

select event_id, event_type, updated_at
from {{ source('raw', 'events') }}
{% if is_incremental() %}
where updated_at > (select max(updated_at) from {{ this }})
{% endif %}
