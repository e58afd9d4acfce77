"""dbt's folder-level configuration: ``models:`` / ``seeds:`` in dbt_project.yml with ``+`` keys.

Under ``models: <project>: staging: +materialized: view`` every model in ``models/staging/``
(and below) is a view unless a deeper folder, the properties file or ``config()`` says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from odibi_sql.diagnostics import Location
from odibi_sql.project.yaml_loader import LocatedDocument

# keys that always configure (with or without "+"), as in dbt
_CONFIG_KEYS = {
    "materialized", "schema", "alias", "tags", "enabled", "unique_key", "incremental_strategy",
    "on_schema_change", "partition_by", "cluster_by", "column_types", "delimiter", "quote_columns",
    "meta", "docs", "persist_docs", "database", "pre-hook", "post-hook", "pre_hook", "post_hook",
    "full_refresh", "contract", "grants", "incremental_predicates", "sql_header", "file_format",
    "location_root", "severity", "where", "store_failures", "limit", "warn_if", "error_if",
    "access", "group", "packages", "event_time", "batch_size", "lookback", "begin",
}  # fmt: skip


@dataclass(frozen=True)
class ConfigValue:
    value: Any
    location: Location


def folder_config(
    doc: LocatedDocument, section: str, project: str, folders: tuple[str, ...], name: str
) -> dict[str, ConfigValue]:
    """The configuration dbt_project.yml gives a resource in ``folders`` named ``name``.

    Deeper folders override shallower ones; ``tags`` accumulate, as in dbt.
    """
    out: dict[str, ConfigValue] = {}
    tree = (doc.data or {}).get(section)
    if not isinstance(tree, dict):
        return out
    scope = tree.get(project)
    path: tuple = (section, project)
    levels = [(tree, (section,))]
    if isinstance(scope, dict):
        levels.append((scope, path))
        current = scope
        for part in (*folders, name):
            child = current.get(part)
            if not isinstance(child, dict):
                break
            path = (*path, part)
            levels.append((child, path))
            current = child
    for mapping, where in levels:
        for key, value in mapping.items():
            plain = key[1:] if isinstance(key, str) and key.startswith("+") else key
            if not (isinstance(key, str) and (key.startswith("+") or key in _CONFIG_KEYS)):
                continue
            if (
                isinstance(value, dict)
                and not key.startswith("+")
                and plain not in ("meta", "docs", "column_types", "persist_docs", "contract", "grants")
            ):
                continue  # a folder named like a config key
            location = doc.locate((*where, key))
            if plain == "tags" and plain in out:
                merged = [*_as_list(out[plain].value), *_as_list(value)]
                out[plain] = ConfigValue(list(dict.fromkeys(merged)), location)
            else:
                out[plain] = ConfigValue(value, location)
    return out


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
