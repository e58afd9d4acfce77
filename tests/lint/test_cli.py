"""``odibi-sql lint`` end to end: exit codes, every problem together, config, noqa, formats."""

from __future__ import annotations

import json

import jsonschema

from tests.functional.helpers import run_cli

BROKEN = {
    "pipelines/silver.yaml": """
        pipeline: silver
        nodes:
          - name: typo
            sql: |
              select amout
              from {{ ref('raw_orders') }}
          - name: missing
            sql: "select 1 as x from {{ ref('nope') }}"
          - name: report
            sql: |
              with unused as (select 1 as x)
              select order_id from {{ ref('raw_orders') }}
    """,
}

# The fields SARIF 2.1.0 requires (sarif-schema-2.1.0.json) on the objects we emit.
SARIF_REQUIRED = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "rules": {
                                        "type": "array",
                                        "items": {"type": "object", "required": ["id"]},
                                    }
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "message": {
                                    "type": "object",
                                    "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
                                },
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "anyOf": [
                                                    {"required": ["address"]},
                                                    {"required": ["artifactLocation"]},
                                                ],
                                                "properties": {
                                                    "region": {
                                                        "type": "object",
                                                        "properties": {
                                                            "startLine": {"type": "integer", "minimum": 1},
                                                            "startColumn": {"type": "integer", "minimum": 1},
                                                        },
                                                    }
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def test_lint_reports_every_problem_together_and_exits_1(make_project, capsys):
    project = make_project(BROKEN)
    result = run_cli(capsys, "lint", "--project-dir", project, expect=1)
    assert "pipelines/silver.yaml:5:14: error OD102 [typo]" in result.out
    assert 'column "amout" does not exist' in result.out
    assert "          select amout\n" in result.out  # the source line, then a caret under the column
    assert "\n                 ^\n" in result.out
    assert "error OD104 [missing] ref('nope')" in result.out
    assert "warning OD202 [report] CTE unused is defined but never used" in result.out
    assert "Linted 5 nodes for duckdb: 2 errors, 1 warning" in result.out
    assert not (project / "target").exists()


def test_lint_warnings_only_exit_0(make_project, capsys):
    files = {"pipelines/silver.yaml": BROKEN["pipelines/silver.yaml"]}
    project = make_project(files)
    result = run_cli(capsys, "lint", "--project-dir", project, "--select", "report", expect=0)
    assert "Linted 1 node for duckdb: 0 errors, 1 warning" in result.out
    assert "OD102" not in result.out


def test_lint_clean_project(make_project, capsys):
    result = run_cli(capsys, "lint", "--project-dir", make_project({}), expect=0)
    assert "Linted 2 nodes for duckdb: no problems found" in result.out


def test_lint_invalid_project_exits_2(make_project, capsys):
    project = make_project({"pipelines/silver.yaml": "pipeline: silver\nnodes:\n  - name: x\n    sqll: y\n"})
    result = run_cli(capsys, "lint", "--project-dir", project, expect=2)
    assert "unknown key 'sqll'" in result.err


def test_lint_unknown_format_is_a_usage_error(make_project, capsys):
    result = run_cli(capsys, "lint", "--project-dir", make_project({}), "--format", "xml", expect=2)
    assert "'xml' is not one of" in result.err


def test_lint_config_changes_severity_and_disables_rules(make_project, capsys):
    project = make_project(
        {
            **BROKEN,
            "odibi_project.yaml": """
                name: lintcase
                connections:
                  landing: {type: files, path: data}
                lint:
                  rules:
                    OD102: {enabled: false}
                    unused-cte: {severity: error}
            """,
        }
    )
    result = run_cli(capsys, "lint", "--project-dir", project, "--format", "json", expect=1)
    records = json.loads(result.out)["findings"]
    assert {(r["code"], r["severity"]) for r in records} == {("OD104", "error"), ("OD202", "error")}


def test_lint_config_unknown_rule_exits_2(make_project, capsys):
    project = make_project(
        {
            "odibi_project.yaml": """
                name: lintcase
                connections:
                  landing: {type: files, path: data}
                lint:
                  rules:
                    OD2O1: {enabled: false}
            """
        }
    )
    result = run_cli(capsys, "lint", "--project-dir", project, expect=2)
    assert "odibi_project.yaml:6:5: lint.rules: unknown rule 'OD2O1'. Did you mean \"OD201\"?" in result.err


def test_lint_config_unknown_key_exits_2(make_project, capsys):
    project = make_project(
        {
            "odibi_project.yaml": """
                name: lintcase
                lint:
                  rules:
                    OD201: {enabeld: false}
            """
        }
    )
    result = run_cli(capsys, "lint", "--project-dir", project, expect=2)
    assert "unknown key 'enabeld'" in result.err


def test_noqa_silences_named_rules_or_all(make_project, capsys):
    project = make_project(
        {
            "pipelines/silver.yaml": """
                pipeline: silver
                nodes:
                  - name: typo
                    sql: |
                      select amout -- noqa: OD102
                      from {{ ref('raw_orders') }}
                  - name: report
                    sql: |
                      with unused as (select 1 as x) -- noqa
                      select nope -- noqa: unused-cte
                      from {{ ref('raw_orders') }}
            """
        }
    )
    result = run_cli(capsys, "lint", "--project-dir", project, "--format", "json", expect=1)
    document = json.loads(result.out)
    assert [(r["code"], r["line"]) for r in document["findings"]] == [("OD102", 10)]
    assert document["summary"]["suppressed"] == 2


def test_select_lints_part_of_the_project(make_project, capsys):
    project = make_project(BROKEN)
    result = run_cli(capsys, "lint", "--project-dir", project, "-s", "typo", "--format", "json", expect=1)
    document = json.loads(result.out)
    assert {r["node"] for r in document["findings"]} == {"typo"}
    assert document["summary"]["nodes"] == 1


def test_github_annotations_are_exact(make_project, capsys):
    project = make_project(BROKEN)
    result = run_cli(capsys, "lint", "--project-dir", project, "--format", "github", expect=1)
    assert result.out.splitlines() == [
        '::error file=pipelines/silver.yaml,line=5,col=14,title=OD102 unknown-column::column "amout" does not '
        'exist. Did you mean "amount"? (to fix: available columns: order_id, customer_id, status, amount, updated_at)',
        "::error file=pipelines/silver.yaml,line=8,title=OD104 missing-ref::ref('nope'): there is no node named "
        "'nope'. (to fix: check the node name, or add the node to a pipeline)",
        "::warning file=pipelines/silver.yaml,line=11,col=12,title=OD202 unused-cte::CTE unused is defined but "
        "never used (to fix: remove it, or read it where it was meant to be read)",
    ]


def test_sarif_has_the_required_fields_and_points_into_the_source(make_project, capsys):
    project = make_project(BROKEN)
    result = run_cli(capsys, "lint", "--project-dir", project, "--format", "sarif", expect=1)
    log = json.loads(result.out)
    jsonschema.validate(log, SARIF_REQUIRED)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "OD102"
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "pipelines/silver.yaml"},
        "region": {"startLine": 5, "startColumn": 14},
    }
    assert {r["ruleId"]: r["level"] for r in run["results"]} == {
        "OD102": "error",
        "OD104": "error",
        "OD202": "warning",
    }


def test_dialect_option_checks_portability(make_project, capsys):
    project = make_project(
        {
            "pipelines/silver.yaml": """
                pipeline: silver
                nodes:
                  - name: top
                    sql: |
                      select customer_id, arg_max(order_id, amount, 2) as top_orders
                      from {{ ref('raw_orders') }} group by customer_id
            """
        }
    )
    run_cli(capsys, "lint", "--project-dir", project, expect=0)
    result = run_cli(capsys, "lint", "--project-dir", project, "--dialect", "spark", expect=1)
    assert "error OD301 [top] spark: Argument 'count' is not supported" in result.out
    assert "Linted 3 nodes for spark" in result.out
