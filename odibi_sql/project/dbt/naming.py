"""Where dbt puts a relation: ``generate_schema_name`` and ``generate_alias_name`` as dbt ships them."""

from __future__ import annotations


def schema_name(target_schema: str, custom: str | None) -> str:
    """dbt's default: the target schema, or ``<target schema>_<custom schema>``."""
    if custom is None or not str(custom).strip():
        return target_schema
    return f"{target_schema}_{str(custom).strip()}"
