{% macro above_minimum(column) -%}
    {{ column }} >= {{ var('min_order_amount') }}
{%- endmacro %}
