select code, upper(name) as name_upper
from {{ ref('countries') }}
