"""docs/reference/yaml.md and the JSON Schemas in docs/schema/, from the pydantic models."""

from __future__ import annotations

import re

from jinja2.sandbox import MAX_RANGE
from pydantic import BaseModel

from odibi_sql.compile.parse import MAX_SQL_DEPTH, MAX_SQL_NESTING
from odibi_sql.project.config import (
    Defaults,
    DuckDBConnection,
    DuckDBTarget,
    FilesConnection,
    LintConfig,
    LintRuleConfig,
    ProjectConfig,
    RetryConfig,
    SeedConfig,
    SparkTarget,
)
from odibi_sql.project.files import MAX_FILE_BYTES
from odibi_sql.project.node_spec import ColumnSpec, NodeSpec, PipelineFile, ReadSpec, WriteSpec
from odibi_sql.project.sandbox import MAX_EXPONENT, MAX_INT_BITS, MAX_TEMPLATE_VALUE
from odibi_sql.project.yaml_loader import MAX_YAML_DEPTH, MAX_YAML_VALUES
from odibi_sql.reference.markdown import (
    GENERATED,
    default_text,
    description,
    json_schema,
    key_of,
    summary,
    table,
    type_name,
)
from odibi_sql.testing.spec import (
    SETTINGS,
    AcceptedValuesTest,
    ExpressionTest,
    NotNullTest,
    RelationshipsTest,
    UniqueTest,
    _TestSettings,
)

PATH = "reference/yaml.md"
PROJECT_SCHEMA = "schema/odibi_project.schema.json"
PIPELINE_SCHEMA = "schema/pipeline.schema.json"

# (section title, anchor, model, the YAML path users write it under)
PROJECT_SECTIONS: list[tuple[str, str, type[BaseModel], str]] = [
    ("odibi_project.yaml", "project", ProjectConfig, "(top level of odibi_project.yaml)"),
    ("DuckDB target", "duckdb-target", DuckDBTarget, "targets.<name> with dialect: duckdb"),
    ("Spark target", "spark-target", SparkTarget, "targets.<name> with dialect: spark"),
    ("retry", "retry", RetryConfig, "targets.<name>.retry"),
    ("files connection", "files-connection", FilesConnection, "connections.<name> with type: files"),
    ("duckdb connection", "duckdb-connection", DuckDBConnection, "connections.<name> with type: duckdb"),
    ("defaults", "defaults", Defaults, "defaults"),
    ("seed settings", "seed-settings", SeedConfig, "seeds.<seed file name>"),
    ("lint", "lint", LintConfig, "lint"),
    ("lint rule", "lint-rule", LintRuleConfig, "lint.rules.<code or name>"),
]
PIPELINE_SECTIONS: list[tuple[str, str, type[BaseModel], str]] = [
    ("pipelines/*.yaml", "pipeline", PipelineFile, "(top level of a pipeline file)"),
    ("node", "node", NodeSpec, "nodes[]"),
    ("read", "read", ReadSpec, "nodes[].read"),
    ("write", "write", WriteSpec, "nodes[].write"),
    ("column", "column", ColumnSpec, "nodes[].columns.<name>, seeds.<seed>.columns.<name>"),
]
TESTS = [NotNullTest, UniqueTest, AcceptedValuesTest, RelationshipsTest, ExpressionTest]
_TEST_EXAMPLES = {
    "not_null": "- not_null",
    "unique": "- unique                 # on a column\n- unique: [order_id, line]   # on a node: the combination",
    "accepted_values": "- accepted_values: [created, shipped, delivered]",
    "relationships": "- relationships: {to: customers, field: customer_id}",
    "expression": '- expression: "amount >= 0"',
}


def render() -> str:
    models = {cls.__name__: anchor for _, anchor, cls, _ in [*PROJECT_SECTIONS, *PIPELINE_SECTIONS]}
    models.update({"Target": "duckdb-target", "Connection": "files-connection"})
    out = [
        GENERATED,
        "",
        "# YAML reference",
        "",
        "Every key of `odibi_project.yaml`, `env.<name>.yaml` overlays (same keys, deep-merged) and",
        '`pipelines/*.yaml`. Unknown keys are errors (with the file, line and a "did you mean").',
        "See [concepts](../concepts.md) for what the settings do together.",
        "",
        "## Editor completion",
        "",
        f"JSON Schemas generated from the same models: [`{PROJECT_SCHEMA}`](../{PROJECT_SCHEMA}) and",
        f"[`{PIPELINE_SCHEMA}`](../{PIPELINE_SCHEMA}). With VS Code's YAML extension (Red Hat), put",
        "this first line in a file (the path is relative to the file):",
        "",
        "```yaml",
        f"# yaml-language-server: $schema=../docs/{PIPELINE_SCHEMA}",
        "pipeline: silver",
        "```",
        "",
        'or map them once in `.vscode/settings.json`: `"yaml.schemas": {"docs/schema/pipeline.schema.json":',
        '"pipelines/*.yaml", "docs/schema/odibi_project.schema.json": "odibi_project.yaml"}`.',
    ]
    for title, anchor, cls, where in [*PROJECT_SECTIONS, *PIPELINE_SECTIONS]:
        out += ["", f'<a id="{anchor}"></a>', "", f"## {title}", "", f"Under `{where}`."]
        if summary(cls):
            out += ["", summary(cls)]
        out += ["", _fields_table(cls, models)]
    out += ["", *_tests_section(), "", *_limits_section()]
    return "\n".join(out) + "\n"


def _limits_section() -> list[str]:
    """The bounds a project is held to (it is untrusted input: see concepts)."""
    rows = [
        ("size of a YAML, SQL or macro file", f"{MAX_FILE_BYTES:,} bytes"),
        ("values in one YAML file, aliases expanded", f"{MAX_YAML_VALUES:,}"),
        ("nesting of mappings and lists in a YAML file", f"{MAX_YAML_DEPTH}"),
        ("nesting of parentheses in a node's SQL", f"{MAX_SQL_NESTING}"),
        ("depth of a node's SQL syntax tree (each UNION, operator or call is a level)", f"{MAX_SQL_DEPTH:,}"),
        ("string or list built by `*` in a template", f"{MAX_TEMPLATE_VALUE:,} items"),
        ("exponent of `**` in a template", f"{MAX_EXPONENT:,}"),
        ("integer built by `*` or `**` in a template", f"{MAX_INT_BITS:,} bits"),
        ("`range()` in a template", f"{MAX_RANGE:,} items"),
    ]
    return [
        '<a id="limits"></a>',
        "## Limits",
        "",
        "A project is untrusted input: beyond these bounds it is refused with the file and line, before",
        "anything runs. Templates render in Jinja's sandbox.",
        "",
        "| limit | value |",
        "|---|---|",
        *(f"| {what} | {value} |" for what, value in rows),
    ]


def _fields_table(cls: type[BaseModel], models: dict[str, str]) -> str:
    rows = []
    for name, info in cls.model_fields.items():
        rows.append(
            [
                f"`{key_of(name, info)}`",
                _linked(type_name(info.annotation), models),
                "yes" if info.is_required() else "",
                f"`{default_text(info)}`" if default_text(info) else "",
                description(cls, name),
            ]
        )
    return table(["key", "type", "required", "default", "description"], rows)


def _linked(text: str, models: dict[str, str]) -> str:
    return re.sub(
        r"\b([A-Z][A-Za-z]+)\b", lambda m: f"[{m[1]}](#{models[m[1]]})" if m[1] in models else m[1], text
    )


def _tests_section() -> list[str]:
    out = [
        '<a id="tests"></a>',
        "",
        "## tests",
        "",
        "Under `nodes[].tests` (node tests) and `nodes[].columns.<name>.tests` (column tests). An entry",
        "is a test name, or a one-key mapping whose value is the test's argument; settings sit beside",
        "the name or inside the mapping. A test fails when rows violate it (dbt semantics).",
        "",
        "```yaml",
        "columns:",
        "  order_id: {tests: [unique, not_null]}",
        "  status:",
        "    tests:",
        "      - {accepted_values: [created, shipped], severity: warn}",
        '      - {relationships: {to: order_status, field: status, where: "status is not null"}}',
        "tests:",
        '  - {expression: "amount >= 0", quarantine: true}',
        "  - unique: [order_id, order_item_id]",
        "```",
        "",
        "Settings of every test:",
        "",
        table(
            ["setting", "type", "default", "description"],
            [
                [
                    f"`{name}`",
                    type_name(_TestSettings.model_fields[name].annotation),
                    f"`{default_text(_TestSettings.model_fields[name])}`"
                    if default_text(_TestSettings.model_fields[name])
                    else "",
                    description(_TestSettings, name),
                ]
                for name in SETTINGS
            ],
        ),
        "",
        "Tests:",
        "",
    ]
    rows = []
    for cls in TESTS:
        name = cls.model_fields["test"].annotation.__args__[0]  # Literal["not_null"]
        own = [f for f in cls.model_fields if f != "test" and f not in SETTINGS]
        arguments = "; ".join(
            f"`{f}` ({type_name(cls.model_fields[f].annotation)}"
            + (", required" if cls.model_fields[f].is_required() else "")
            + ")"
            + (f": {description(cls, f)}" if description(cls, f) else "")
            for f in own
        )
        rows.append(
            [
                f"`{name}`",
                arguments or "none",
                "<br>".join(f"`{e}`" for e in _TEST_EXAMPLES[name].splitlines()),
            ]
        )
    out.append(table(["test", "arguments", "example"], rows))
    return out


def schemas() -> dict[str, str]:
    """``{path under docs/: JSON text}`` of the two JSON Schema files."""
    return {
        PROJECT_SCHEMA: json_schema(
            ProjectConfig, "odibi-sql project (odibi_project.yaml, env.<name>.yaml)", "validation"
        ),
        PIPELINE_SCHEMA: json_schema(
            PipelineFile, "odibi-sql pipeline file (pipelines/*.yaml)", "validation"
        ),
    }
