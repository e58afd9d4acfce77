{#- dbt's cross-database macros, as dbt-duckdb renders them; callable bare or as dbt.<name>. -#}

{% macro current_timestamp() -%}
    now()
{%- endmacro %}

{% macro dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set unit = datepart | lower -%}
    {%- if unit == 'quarter' -%}
        ({{ from_date_or_timestamp }} + (cast({{ interval }} as bigint) * 3) * interval 1 month)
    {%- elif unit == 'week' -%}
        ({{ from_date_or_timestamp }} + (cast({{ interval }} as bigint) * 7) * interval 1 day)
    {%- else -%}
        ({{ from_date_or_timestamp }} + cast({{ interval }} as bigint) * interval 1 {{ unit }})
    {%- endif -%}
{%- endmacro %}

{% macro datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'week' -%}
        ({{ datediff(first_date, second_date, 'day') }} // 7 + case
            when date_part('dow', ({{ first_date }})::timestamp) <= date_part('dow', ({{ second_date }})::timestamp) then
                case when {{ first_date }} <= {{ second_date }} then 0 else -1 end
            else
                case when {{ first_date }} <= {{ second_date }} then 1 else 0 end
        end)
    {%- else -%}
        (date_diff('{{ datepart }}', {{ first_date }}::timestamp, {{ second_date }}::timestamp))
    {%- endif -%}
{%- endmacro %}

{% macro date_trunc(datepart, date) -%}
    date_trunc('{{ datepart }}', {{ date }})
{%- endmacro %}

{% macro last_day(date, datepart) -%}
    {%- if datepart == 'quarter' -%}
        cast({{ dateadd('day', '-1', dateadd('month', '3', date_trunc(datepart, date))) }} as date)
    {%- else -%}
        cast({{ dateadd('day', '-1', dateadd(datepart, '1', date_trunc(datepart, date))) }} as date)
    {%- endif -%}
{%- endmacro %}

{% macro date(year, month, day) -%}
    make_date({{ year }}, {{ month }}, {{ day }})
{%- endmacro %}

{% macro type_string() %}TEXT{% endmacro %}
{% macro type_timestamp() %}timestamp{% endmacro %}
{% macro type_float() %}float{% endmacro %}
{% macro type_numeric() %}numeric(28,6){% endmacro %}
{% macro type_bigint() %}bigint{% endmacro %}
{% macro type_int() %}integer{% endmacro %}
{% macro type_boolean() %}boolean{% endmacro %}

{% macro safe_cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro cast_bool_to_text(field) -%}
    cast({{ field }} as {{ type_string() }})
{%- endmacro %}

{% macro concat(fields) -%}
    {{ fields | join(' || ') }}
{%- endmacro %}

{% macro hash(field) -%}
    md5(cast({{ field }} as {{ type_string() }}))
{%- endmacro %}

{% macro length(expression) -%}
    length({{ expression }})
{%- endmacro %}

{% macro replace(field, old_chars, new_chars) -%}
    replace({{ field }}, {{ old_chars }}, {{ new_chars }})
{%- endmacro %}

{% macro right(string_text, length_expression) -%}
    right({{ string_text }}, {{ length_expression }})
{%- endmacro %}

{% macro position(substring_text, string_text) -%}
    position({{ substring_text }} in {{ string_text }})
{%- endmacro %}

{% macro split_part(string_text, delimiter_text, part_number) -%}
    string_split({{ string_text }}, {{ delimiter_text }})[{{ part_number }}]
{%- endmacro %}

{% macro escape_single_quotes(expression) -%}
    {{ expression | replace("'", "''") }}
{%- endmacro %}

{% macro string_literal(value) -%}
    '{{ value }}'
{%- endmacro %}

{% macro any_value(expression) -%}
    arbitrary({{ expression }})
{%- endmacro %}

{% macro bool_or(expression) -%}
    bool_or({{ expression }})
{%- endmacro %}

{% macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
    {%- if limit_num -%}
        list_aggr((array_agg({{ measure }} {{ order_by_clause or '' }}))[1:{{ limit_num }}], 'string_agg', {{ delimiter_text }})
    {%- else -%}
        string_agg({{ measure }}, {{ delimiter_text }} {{ order_by_clause or '' }})
    {%- endif -%}
{%- endmacro %}

{% macro except() %}except{% endmacro %}
{% macro intersect() %}intersect{% endmacro %}

{% set dbt = namespace(
    current_timestamp=current_timestamp, dateadd=dateadd, datediff=datediff, date_trunc=date_trunc,
    last_day=last_day, date=date, type_string=type_string, type_timestamp=type_timestamp,
    type_float=type_float, type_numeric=type_numeric, type_bigint=type_bigint, type_int=type_int,
    type_boolean=type_boolean, safe_cast=safe_cast, cast_bool_to_text=cast_bool_to_text, concat=concat,
    hash=hash, length=length, replace=replace, right=right, position=position, split_part=split_part,
    escape_single_quotes=escape_single_quotes, string_literal=string_literal, any_value=any_value,
    bool_or=bool_or, listagg=listagg, except=except, intersect=intersect
) %}
