select
    id as customer_id,
    first_name,
    last_name,
    signup_date,
    coalesce(is_vip, false) as is_vip
from {{ ref('raw_customers') }}
