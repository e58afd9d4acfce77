{#- dbt projects: config() is read when the project loads; in the SQL it renders as nothing. -#}
{% macro config() -%}
    {%- set _ = kwargs -%}
{%- endmacro %}
