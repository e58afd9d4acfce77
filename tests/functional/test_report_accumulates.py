"""The report shows each node's latest result from any command, and counts a rolled-back node
right: no rows written, its failing test counted under "tests failed"."""

from __future__ import annotations

import re
from pathlib import Path

from tests.functional.helpers import run_cli, write_csv, write_project
from tests.functional.html_dom import parse_html

PROJECT = """
    name: acc
    targets:
      dev: {dialect: duckdb, path: target/dev.duckdb}
"""
PIPELINE = """
pipeline: p
nodes:
  - name: a
    sql: "select 1 as id"
  - name: b
    sql: "select id from {{ ref('a') }}"
  - name: dup
    sql: "select 1 as id union all select 1"
    columns:
      id: {tests: [unique]}
"""


def _cards(html: str) -> dict[str, str]:
    doc = parse_html(html)
    return {
        c.find("span", cls="label").text(): c.find("span", cls="figure").text()
        for c in doc.find_all("div", cls="card")
    }


def test_report_keeps_every_nodes_latest_result_and_counts_rollbacks(tmp_path: Path, capsys):
    root = write_project(tmp_path / "acc", {"odibi_project.yaml": PROJECT, "pipelines/p.yaml": PIPELINE})
    write_csv(root / "seeds/codes.csv", "code", ["x"])
    run_cli(capsys, "build", "--project-dir", root, expect=1)  # dup fails its unique test: rolled back
    run_cli(capsys, "seed", "--project-dir", root)  # a later command that runs only the seed
    run_cli(capsys, "docs", "--project-dir", root)
    html = (root / "target/report.html").read_text(encoding="utf-8")
    cards = _cards(html)
    assert cards["not run"] == "0"  # a and b keep their result from build
    assert cards["passed"] == "3" and cards["failed"] == "1"  # a, b, codes; dup
    assert cards["tests failed"] == "1"
    dup = parse_html(html).find("section", id="node-dup")
    assert dup.attrs["data-state"] == "error"
    assert re.search(r"rows written\s*–", dup.text())  # rolled back: it wrote nothing
