"""The Spark lowering: the ordered steps and the checks behind ``lower(..., "spark")``.

Order matters where steps meet: relation shapes first (they move whole clauses), then values
inside them, types last. Each step's docstring names the DuckDB vs Spark difference it fixes;
``tests/spark/test_dialect_parity.py`` runs every case on both engines.
"""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.dialect.capabilities import Capabilities
from odibi_sql.dialect.identifiers import quote_unreadable_identifiers
from odibi_sql.dialect.lowering import DialectLowering, snippet
from odibi_sql.dialect.spark_aggregates import (
    check_quantile,
    lower_arg_max,
    lower_list_aggregate,
    lower_quantile_cont,
)
from odibi_sql.dialect.spark_lists import lower_flatten, lower_list_concat, lower_list_contains
from odibi_sql.dialect.spark_numbers import (
    check_rounding,
    check_series,
    lower_avg,
    lower_division,
    lower_generate_series,
    lower_round,
    lower_sign,
    lower_whole_number,
)
from odibi_sql.dialect.spark_regex import check_regex_patterns, lower_regex_patterns
from odibi_sql.dialect.spark_relations import (
    check_relations,
    eliminate_qualify_keeping_order,
    lower_short_pivot,
    lower_short_unpivot,
    lower_unnest_joins,
)
from odibi_sql.dialect.spark_strings import (
    check_strings,
    lower_concat_arguments,
    lower_left_right,
    lower_regexp_flags,
    lower_substring,
)
from odibi_sql.dialect.spark_subqueries import lower_in_subquery
from odibi_sql.dialect.spark_temporal import (
    check_temporal,
    lower_at_time_zone,
    lower_date_diff_boundaries,
    lower_date_interval_arithmetic,
    lower_date_sub,
    lower_day_and_month_names,
    lower_day_of_week,
    lower_seconds_parts,
    lower_strftime,
    lower_strptime,
    lower_timestamp_trunc,
)
from odibi_sql.dialect.spark_values import (
    check_values,
    lower_cast_float_to_decimal,
    lower_cast_to_integer_rounding,
    lower_data_types,
    lower_list_index,
    lower_list_length,
    lower_regexp_replace,
)


def check_statements(node: exp.Expr, caps: Capabilities) -> str | None:
    """Statements with no Spark equivalent: INSERT OR REPLACE / OR IGNORE and ON CONFLICT."""
    if isinstance(node, exp.Insert):
        if node.args.get("alternative"):
            return (
                f"INSERT OR {node.args['alternative'].upper()} is not Spark SQL; write the node with "
                f"mode: merge and a unique_key instead ({snippet(node, 60)})"
            )
        if node.args.get("conflict"):
            return (
                f"INSERT ... ON CONFLICT is not Spark SQL; write the node with mode: merge and a "
                f"unique_key instead ({snippet(node, 60)})"
            )
    return None


LOWERING = DialectLowering(
    steps=(
        lower_short_pivot,
        lower_short_unpivot,
        eliminate_qualify_keeping_order,
        lower_unnest_joins,
        lower_in_subquery,
        lower_list_aggregate,
        lower_quantile_cont,
        lower_arg_max,
        lower_timestamp_trunc,
        lower_strptime,
        lower_generate_series,
        lower_date_diff_boundaries,
        lower_date_sub,
        lower_day_of_week,
        lower_seconds_parts,
        lower_day_and_month_names,
        lower_at_time_zone,
        lower_strftime,
        lower_date_interval_arithmetic,
        lower_division,
        lower_round,
        lower_whole_number,
        lower_sign,
        lower_avg,
        lower_regex_patterns,
        lower_regexp_replace,
        lower_regexp_flags,
        lower_substring,
        lower_left_right,
        lower_concat_arguments,
        lower_list_concat,
        lower_list_contains,
        lower_flatten,
        lower_cast_to_integer_rounding,
        lower_cast_float_to_decimal,
        lower_list_index,
        lower_list_length,
        lower_data_types,
        quote_unreadable_identifiers,
    ),
    checks=(
        check_statements,
        check_relations,
        check_temporal,
        check_values,
        check_series,
        check_rounding,
        check_quantile,
        check_strings,
        check_regex_patterns,
    ),
)
