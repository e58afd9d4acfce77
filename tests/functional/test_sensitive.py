"""`sensitive: true` values never reach stdout, stderr or the run artifacts: test samples, the merge
key check, engine errors and dead-letter loads all mask them."""

from __future__ import annotations

from pathlib import Path

from tests.functional.helpers import run_cli, write_csv, write_project

SECRETS = ["alice.secret@example.com", "bob.hidden@example.com"]
PROJECT = """
    name: pii
    targets:
      dev: {dialect: duckdb, path: target/warehouse.duckdb}
    connections:
      landing: {type: files, path: data}
    seeds:
      contacts:
        columns:
          email: {sensitive: true}
          age: {type: integer}
"""
PIPELINE = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: people.csv}
    columns:
      email: {sensitive: true}
  - name: people
    sql: "select id, email, status from {{ ref('raw') }}"
    columns:
      email:
        tests:
          - unique
          - {accepted_values: [nobody@example.com]}
          - {expression: "email like '%@corp.com'"}
      status: {tests: [{accepted_values: [active]}]}
    tests:
      - unique: [email, status]
"""


def _project(tmp_path: Path, pipeline: str = PIPELINE) -> Path:
    root = write_project(tmp_path / "pii", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": pipeline})
    write_csv(
        root / "data/people.csv",
        "id,email,status",
        [f"1,{SECRETS[0]},active", f"2,{SECRETS[0]},active", f"3,{SECRETS[1]},retired"],
    )
    write_csv(root / "seeds/contacts.csv", "email,age", [f"{SECRETS[1]},41", f"{SECRETS[0]},forty"])
    return root


def _assert_no_secret(root: Path, *outputs: str) -> None:
    artifacts = [p.read_text() for p in (root / "target").glob("*.json*")]
    for text in [*outputs, *artifacts]:
        for secret in SECRETS:
            assert secret not in text


def test_sensitive_values_are_masked_in_test_samples(tmp_path, capsys):
    root = _project(tmp_path)
    build = run_cli(capsys, "build", "--project-dir", root, expect=1)
    assert "e.g. email=***" in build.out
    assert "e.g. status='retired'" in build.out  # other columns are shown as they are
    run_cli(capsys, "run", "--project-dir", root)
    test = run_cli(capsys, "test", "--project-dir", root, expect=1)
    assert "e.g. email=***, status='active'" in test.out  # the (email, status) combination
    _assert_no_secret(root, build.text, test.text)


def test_sensitive_merge_key_and_engine_errors_are_masked(tmp_path, capsys):
    pipeline = (
        PIPELINE
        + """
  - name: by_email
    materialized: incremental
    sql: "select email, id from {{ ref('raw') }}"
    write: {mode: merge, unique_key: [email]}
  - name: broken
    sql: "select cast(email as integer) as n from {{ ref('raw') }}"
"""
    )
    root = _project(tmp_path, pipeline)
    first = run_cli(capsys, "run", "--project-dir", root, "--select", "+by_email", expect=1)
    assert "unique_key (email) is not unique in the incoming rows: e.g. ***, 2" in first.out  # first run
    _assert_no_secret(root, first.text)
    write_csv(
        root / "data/people.csv", "id,email,status", [f"4,{SECRETS[1]},active", f"5,{SECRETS[1]},active"]
    )
    result = run_cli(capsys, "run", "--project-dir", root, "--select", "+by_email +broken", expect=1)
    assert "unique_key (email) is not unique in the incoming rows: e.g. ***, 2" in result.out
    assert "Conversion Error" in result.out and "***" in result.out
    _assert_no_secret(root, result.text)


def test_sensitive_seed_rows_rejected_are_never_printed(tmp_path, capsys):
    root = _project(tmp_path)
    result = run_cli(capsys, "seed", "--project-dir", root)
    assert "1 rows, 1 rejected" in result.out
    _assert_no_secret(root, result.text)


SSN = "123-45-6789"
DERIVED = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: people.csv}
    columns:
      email: {sensitive: true}
      ssn: {sensitive: true}
  - name: contacts
    sql: "select id, email as contact, upper(ssn) as ssn_upper, md5(email) as email_hash from {{ ref('raw') }}"
    columns:
      contact: {tests: [{accepted_values: [nobody@example.com], severity: warn}]}
      ssn_upper: {tests: [{accepted_values: ['000-00-0000'], severity: warn}]}
      email_hash: {tests: [{accepted_values: [x], severity: warn}]}
  - name: renamed_again
    sql: "select contact as reach, id from {{ ref('contacts') }}"
    columns:
      reach: {tests: [{accepted_values: [nobody@example.com]}]}
"""


def test_sensitive_columns_derived_through_lineage_are_masked(tmp_path, capsys):
    root = write_project(tmp_path / "pii", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": DERIVED})
    write_csv(root / "data/people.csv", "id,email,ssn", [f"1,{SECRETS[0]},{SSN}"])
    build = run_cli(capsys, "build", "--project-dir", root, expect=1)
    assert "e.g. contact=***" in build.out  # email as contact
    assert "e.g. ssn_upper=***" in build.out  # upper(ssn)
    assert "e.g. reach=***" in build.out  # two hops down
    assert "e.g. email_hash='" in build.out  # a hash masks the value: shown
    _assert_no_secret(root, build.text)
    assert SSN not in build.text


ERRORS = """
pipeline: p
nodes:
  - name: raw
    read: {connection: landing, format: csv, path: people.csv}
    columns:
      email: {sensitive: true}
  - name: contacts
    sql: "select id, email as contact, status from {{ ref('raw') }}"
  - name: parsed
    sql: "select strptime(contact, '%Y-%m-%d') as d from {{ ref('contacts') }}"
  - name: raised
    sql: "select error('bad row ' || email) as e from {{ ref('raw') }} where status = 'active'"
  - name: cast_fails
    sql: "select cast(contact as integer) as n from {{ ref('contacts') }}"
"""


def test_engine_errors_mask_values_but_not_the_sql(tmp_path, capsys):
    root = write_project(tmp_path / "pii", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": ERRORS})
    write_csv(root / "data/people.csv", "id,email,status", [f"1,{SECRETS[0]},active"])
    result = run_cli(capsys, "run", "--project-dir", root, expect=1)
    assert "Could not parse string *** according to format specifier" in result.out
    assert '"%Y-%m-%d"' in result.out  # the SQL's own literal
    assert "Invalid Input Error: bad row ***" in result.out
    assert "Could not convert string *** to INT32" in result.out
    assert "***.***" not in result.out
    assert 'LINE 1: CREATE OR REPLACE TABLE "p"."cast_fails" AS SELECT CAST("contacts".contact' in result.out
    run_cli(capsys, "docs", "--project-dir", root)
    _assert_no_secret(root, result.text, (root / "target/report.html").read_text())
