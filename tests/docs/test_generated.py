"""The generated reference pages and JSON Schemas match the code, and the schemas accept real projects."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from odibi_sql.reference import generated_pages

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = generated_pages()
PROJECTS = [ROOT / "examples" / "olist", *sorted((ROOT / "odibi_sql" / "templates").iterdir())]


@pytest.mark.parametrize("relative", sorted(PAGES))
def test_generated_page_is_up_to_date(relative: str) -> None:
    path = DOCS / relative
    assert path.is_file(), f"{path} is missing: run `python -m odibi_sql.reference` (or `nox -s docs`)"
    assert path.read_text(encoding="utf-8") == PAGES[relative], (
        f"{path} is out of date with the code: run `python -m odibi_sql.reference` (or `nox -s docs`)"
    )


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_schemas_accept_shipped_projects(project: Path) -> None:
    project_schema = json.loads((DOCS / "schema/odibi_project.schema.json").read_text())
    pipeline_schema = json.loads((DOCS / "schema/pipeline.schema.json").read_text())
    jsonschema.validate(yaml.safe_load((project / "odibi_project.yaml").read_text()), project_schema)
    pipelines = sorted((project / "pipelines").glob("*.yaml"))
    assert pipelines
    for path in pipelines:
        jsonschema.validate(yaml.safe_load(path.read_text()), pipeline_schema)


def test_schema_rejects_unknown_key() -> None:
    pipeline_schema = json.loads((DOCS / "schema/pipeline.schema.json").read_text())
    bad = {"pipeline": "silver", "nodes": [{"name": "a", "sql": "select 1", "materialised": "table"}]}
    with pytest.raises(jsonschema.ValidationError, match="materialised"):
        jsonschema.validate(bad, pipeline_schema)


def test_transforms_page_compiles_every_example() -> None:
    """Each transform's YAML example is compiled for real; a failure is shown on the page instead."""
    failing, section = set(), None
    for line in PAGES["transforms.md"].splitlines():
        if line.startswith("## "):
            section = line[3:]
        elif line.startswith("-- compiling this example fails"):
            failing.add(section)
    assert not failing, sorted(failing)


@pytest.mark.parametrize("page", ["reference/yaml.md", "reference/cli.md"])
def test_every_key_and_option_has_a_description(page: str) -> None:
    rows = [line for line in PAGES[page].splitlines() if line.startswith("| `")]
    assert rows
    empty = [
        row.split("|")[1].strip() for row in rows if not row.rstrip().rstrip("|").rsplit("|", 1)[-1].strip()
    ]
    assert not empty, f"{page}: no description for {', '.join(empty)}"
