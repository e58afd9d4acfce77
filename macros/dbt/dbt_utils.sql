{#- The dbt_utils macros odibi-sql provides natively, as dbt_utils renders them on DuckDB;
    callable as dbt_utils.<name> when packages.yml lists dbt_utils. -#}

{% macro generate_surrogate_key(field_list) -%}
    {%- set null_value = '' if var('surrogate_key_treat_nulls_as_empty_strings', false) else '_dbt_utils_surrogate_key_null_' -%}
    {%- set fields = [] -%}
    {%- for field in field_list -%}
        {%- set _ = fields.append("coalesce(cast(" ~ field ~ " as " ~ type_string() ~ "), '" ~ null_value ~ "')") -%}
        {%- if not loop.last -%}{%- set _ = fields.append("'-'") -%}{%- endif -%}
    {%- endfor -%}
    {{ hash(concat(fields)) }}
{%- endmacro %}

{% set dbt_utils = namespace(generate_surrogate_key=generate_surrogate_key) %}
