{{ config(alias='games', tags=['games']) }}

select
    game,
    count(*) as plays,
    sum(points) as points,
    {{ dbt.bool_or('points > 10') }} as any_high,
    {{ dbt.listagg('cast(person_id as varchar)', "','", 'order by person_id') }} as players,
    min(played_on) as first_played
from {{ ref('scores') }}
where {{ points_between(0, 100) }}
group by game
{{ dbt.except() }}
select 'none', 0, 0, false, '', cast(null as date)
