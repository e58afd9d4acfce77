"""JSON Schemas of the artifacts commands write: docs/schema/manifest.schema.json and
docs/schema/run_results.schema.json, from their pydantic models (as they are serialized)."""

from __future__ import annotations

from odibi_sql.artifacts.manifest import Manifest
from odibi_sql.execute.results import RunResults
from odibi_sql.reference.markdown import json_schema

MANIFEST_SCHEMA = "schema/manifest.schema.json"
RUN_RESULTS_SCHEMA = "schema/run_results.schema.json"


def schemas() -> dict[str, str]:
    """``{path under docs/: JSON text}``."""
    return {
        MANIFEST_SCHEMA: json_schema(Manifest, "odibi-sql target/manifest.json", "serialization"),
        RUN_RESULTS_SCHEMA: json_schema(RunResults, "odibi-sql target/run_results.json", "serialization"),
    }
