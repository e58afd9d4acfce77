"""Reference pages of docs/, generated from the code: ``python -m odibi_sql.reference``.

In: the pydantic models of the project files, the typer app, the transform registry. Out:
``{path under docs/: text}`` for docs/reference/yaml.md, docs/reference/cli.md,
docs/transforms.md, docs/reference/spark-portability.md and the JSON Schemas in docs/schema/ (project
files, manifest.json, run_results.json). One module per page.
"""

from __future__ import annotations

from odibi_sql.reference import artifacts_page, cli_page, portability_page, transforms_page, yaml_page


def generated_pages() -> dict[str, str]:
    """Every generated file, keyed by its path relative to docs/."""
    return {
        yaml_page.PATH: yaml_page.render(),
        **yaml_page.schemas(),
        **artifacts_page.schemas(),
        cli_page.PATH: cli_page.render(),
        transforms_page.PATH: transforms_page.render(),
        portability_page.PATH: portability_page.render(),
    }
