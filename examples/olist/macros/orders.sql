{#- The one definition of an order that earns revenue: everything but canceled or unavailable. -#}
{% macro counts_as_revenue(status) -%}
    {{ status }} not in ('canceled', 'unavailable')
{%- endmacro %}
