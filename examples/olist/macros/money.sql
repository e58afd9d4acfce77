{#- Amounts are kept in BRL; reports convert each line at the rate of its order date and round
    to cents there, so a currency total is the sum of the converted lines. -#}
{% macro convert_brl(amount, rate) -%}
    cast(round(({{ amount }}) * {{ rate }}, 2) as decimal(18, 2))
{%- endmacro %}
