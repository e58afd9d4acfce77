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
