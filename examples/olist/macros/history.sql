{#- Point-in-time join condition for an SCD2 table: the version of `history` that was valid at
    `moment` (valid_from inclusive, valid_to exclusive, NULL valid_to = still current). -#}
{% macro valid_at(history, moment) -%}
    {{ moment }} >= {{ history }}.valid_from
    and ({{ history }}.valid_to is null or {{ moment }} < {{ history }}.valid_to)
{%- endmacro %}
