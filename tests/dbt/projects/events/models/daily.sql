select
    cast(updated_at as date) as day,
    count(*) as events,
    sum(case when event_type = 'buy' then amount else 0 end) as revenue
from {{ ref('events_merged') }}
group by 1
