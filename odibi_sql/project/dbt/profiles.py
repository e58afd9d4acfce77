"""profiles.yml: a dbt profile's duckdb and spark outputs become targets.

Looked up as dbt does: ``DBT_PROFILES_DIR``, then the project folder, then ``~/.dbt``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from odibi_sql.diagnostics import DiagnosticCollector, Location, did_you_mean, relative
from odibi_sql.project.config import DuckDBTarget, SparkTarget, Target
from odibi_sql.project.yaml_loader import LocatedDocument, YamlError, load_yaml

PROFILES_FILE = "profiles.yml"
_DUCKDB_KEYS = {"type", "path", "schema", "database", "threads", "settings"}
_SPARK_KEYS = {"type", "method", "schema", "database", "threads", "host", "server_side_parameters"}


@dataclass(frozen=True)
class ProfileTarget:
    name: str
    target: Target
    schema: str
    type: str


@dataclass(frozen=True)
class Profile:
    targets: dict[str, ProfileTarget]
    default: str | None
    file: str | None


def profiles_file(root: Path) -> Path | None:
    """Where profiles.yml is: ``DBT_PROFILES_DIR``, the project folder, ``~/.dbt``."""
    candidates = [Path(d) for d in [os.environ.get("DBT_PROFILES_DIR")] if d]
    candidates += [root, Path.home() / ".dbt"]
    for folder in candidates:
        if (folder / PROFILES_FILE).is_file():
            return folder / PROFILES_FILE
    return None


def read_profile(
    root: Path, project_name: str, profile_name: str | None, errors: DiagnosticCollector, render
) -> Profile:
    """The targets of ``profile_name``; without profiles.yml, one DuckDB file in ``target/``."""
    path = profiles_file(root)
    fallback = Profile(
        {"dev": ProfileTarget("dev", DuckDBTarget(path=f"target/{project_name}.duckdb"), "main", "duckdb")},
        "dev",
        None,
    )
    if path is None:
        return fallback
    display = relative(path, root)
    try:
        doc = load_yaml(path, display)
    except YamlError as exc:
        errors.extend([exc.diagnostic])
        return fallback
    render(doc, errors)
    name = profile_name or project_name
    profile = doc.data.get(name) if isinstance(doc.data, dict) else None
    if not isinstance(profile, dict):
        known = [k for k in (doc.data or {}) if k != "config"]
        errors.add(
            f"profile '{name}' is not in {display}.{did_you_mean(name, known)}",
            Location(display, 1, 1),
            hint="add it, or set profile: in dbt_project.yml to one of: " + (", ".join(known) or "(none)"),
        )
        return fallback
    targets: dict[str, ProfileTarget] = {}
    for target_name, output in (profile.get("outputs") or {}).items():
        if isinstance(output, dict) and output.get("type") in ("duckdb", "spark"):
            targets[target_name] = _target(doc, (name, "outputs", target_name), output, errors)
    default = profile.get("target")
    return Profile(targets, default if isinstance(default, str) else None, display)


def _target(doc: LocatedDocument, path: tuple, output: dict, errors: DiagnosticCollector) -> ProfileTarget:
    kind = output["type"]
    allowed = _DUCKDB_KEYS if kind == "duckdb" else _SPARK_KEYS
    for key in output:
        if key not in allowed:
            errors.add(
                f"{kind} profile setting '{key}' is not supported",
                doc.locate((*path, key)),
                hint=f"supported settings: {', '.join(sorted(allowed))}",
            )
    schema = str(output.get("schema") or ("main" if kind == "duckdb" else "default"))
    threads = int(output.get("threads") or (4 if kind == "duckdb" else 1))
    if kind == "duckdb":
        target: Target = DuckDBTarget(
            path=str(output.get("path") or ":memory:"), threads=threads, settings=output.get("settings") or {}
        )
    else:
        if output.get("method", "session") != "session":
            errors.add(
                f"spark method '{output['method']}' is not supported",
                doc.locate((*path, "method")),
                hint="use method: session (a local or attached Spark session)",
            )
        target = SparkTarget(  # dbt-spark writes parquet tables unless a model says otherwise
            dialect="spark",
            threads=threads,
            table_format="parquet",
            conf=output.get("server_side_parameters") or {},
        )
    return ProfileTarget(path[-1], target, schema, kind)
