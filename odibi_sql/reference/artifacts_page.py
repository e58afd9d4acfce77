"""JSON Schemas of the artifacts commands write: docs/schema/manifest.schema.json and
docs/schema/run_results.schema.json, from their pydantic models (as they are serialized)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from odibi_sql.artifacts.manifest import Manifest
from odibi_sql.execute.results import RunResults

MANIFEST_SCHEMA = "schema/manifest.schema.json"
RUN_RESULTS_SCHEMA = "schema/run_results.schema.json"


def schemas() -> dict[str, str]:
    """``{path under docs/: JSON text}``."""
    return {
        MANIFEST_SCHEMA: _schema(Manifest, "odibi-sql target/manifest.json"),
        RUN_RESULTS_SCHEMA: _schema(RunResults, "odibi-sql target/run_results.json"),
    }


def _schema(cls: type[BaseModel], title: str) -> str:
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema.update(cls.model_json_schema(mode="serialization"))
    schema["title"] = title
    return json.dumps(schema, indent=2) + "\n"
