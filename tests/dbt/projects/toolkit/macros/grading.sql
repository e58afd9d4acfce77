{% macro grade(column) -%}
    case
        when {{ column }} >= 90 then 'A'
        when {{ column }} >= 80 then 'B'
        else 'C'
    end
{%- endmacro %}

{% macro points_between(low, high) -%}
    points between {{ low }} and {{ high }}
{%- endmacro %}
