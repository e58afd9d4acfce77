{{ config(materialized='view') }}

select
    p.id,
    p.full_name,
    p.grade,
    s.total_points
from {{ ref('people_enriched') }} as p
join (
    select person_id, sum(points) as total_points
    from {{ ref('scores') }}
    group by person_id
) as s on s.person_id = p.id
