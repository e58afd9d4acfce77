{#- Macros shipped with odibi-sql; every project can call them. -#}

{% macro cents_to_amount(column, scale=2) -%}
    round({{ column }} / 100.0, {{ scale }})
{%- endmacro %}

{% macro date_spine_filter(column, start_var='start_date') -%}
    {{ column }} >= cast('{{ var(start_var) }}' as date)
{%- endmacro %}
