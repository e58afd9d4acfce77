"""``odibi-sql docs`` on the olist example after two daily runs and a failing ``test``.

The copy of the example marks ``customer_city`` sensitive, adds two failing tests and changes one
gold query between the runs. Every expected figure (null percentages, rows added, watermarks) is
computed here from the generated landing files, never by the report's code.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from odibi_sql.cli.app import main
from tests.functional.helpers import run_cli, write_project
from tests.functional.html_dom import Element, parse_html
from tests.functional.png import distinct_colours

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "olist"
CHROMIUM = shutil.which("chromium")


@dataclass
class Built:
    root: Path
    html: str
    doc: Element
    orders_day_one: list[dict]

    def section(self, node: str) -> Element:
        return self.doc.find("section", id=f"node-{node}")


def _cli(*args: object, expect: int = 0) -> None:
    code = main([str(a) for a in args])
    assert code == expect, f"odibi-sql {' '.join(map(str, args))} exited {code}"


def _generate(root: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(root / "generate_data.py"), *args], check=True, capture_output=True)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _orders(root: Path) -> list[dict]:
    rows: list[dict] = []
    for path in sorted((root / "data/landing/orders").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            rows += list(csv.DictReader(f))
    return rows


def _latest(orders: list[dict]) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for row in orders:
        known = latest.get(row["order_id"])
        if known is None or row["modified_at"] > known["modified_at"]:
            latest[row["order_id"]] = row
    return latest


def _cities(root: Path) -> set[str]:
    cities: set[str] = set()
    for path in (root / "data/landing/customers").glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            cities |= {" ".join(r["customer_city"].split()).lower() for r in csv.DictReader(f)}
    return cities


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("docs") / "olist"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("data", "target", "__pycache__"))
    _edit(
        root / "pipelines/bronze.yaml",
        "      customer_id: {tests: [not_null]}\n",
        "      customer_id: {tests: [not_null]}\n      customer_city: {sensitive: true}\n",
    )
    _edit(
        root / "pipelines/silver.yaml",
        "      customer_id: {tests: [unique, not_null]}\n",
        "      customer_id: {tests: [unique, not_null]}\n"
        "      customer_city: {tests: [{accepted_values: [nowhere]}]}\n"
        "      customer_state: {tests: [{accepted_values: [SP]}]}\n",
    )
    _generate(root)
    _cli("run", "--project-dir", root)
    orders_day_one = _orders(root)
    _edit(root / "sql/gold/daily_revenue.sql", "count(*) as items", "count(1) as items")
    _generate(root, "--day", "2")
    _cli("run", "--project-dir", root)
    _cli("test", "--project-dir", root, expect=1)
    _cli("docs", "--project-dir", root)
    html = (root / "target/report.html").read_text(encoding="utf-8")
    return Built(root, html, parse_html(html), orders_day_one)


def _manifest(root: Path) -> dict:
    import json

    return json.loads((root / "target/manifest.json").read_text(encoding="utf-8"))


def test_docs_has_a_section_and_a_box_per_node_and_an_edge_per_dependency(built):
    manifest = _manifest(built.root)
    nodes = set(manifest["nodes"])
    sections = {s.attrs["id"].removeprefix("node-") for s in built.doc.find_all("section", cls="node")}
    assert sections == nodes
    svg = built.doc.find("svg", cls="dag")
    boxes = [g.attrs["data-node"] for g in svg.find_all("g", cls="dag-node")]
    assert sorted(boxes) == sorted(nodes)
    for box in svg.find_all("g", cls="dag-node"):  # each box is a rectangle linking to its section
        assert box.find("rect", cls="dag-box")
    links = {a.attrs["href"] for a in svg.find_all("a", cls="dag-link")}
    assert links == {f"#node-{n}" for n in nodes}
    edges = [(p.attrs["data-from"], p.attrs["data-to"]) for p in svg.find_all("path", cls="dag-edge")]
    expected = [(parent, child) for child, parents in manifest["parent_map"].items() for parent in parents]
    assert sorted(edges) == sorted(expected)
    assert len(edges) == len(set(edges))


def test_docs_null_percentages_match_the_landing_files(built):
    latest = _latest(_orders(built.root))
    undelivered = sum(1 for r in latest.values() if not r["order_delivered_customer_date"])
    assert 0 < undelivered < len(latest)
    row = built.section("orders").find("tr", data_column="order_delivered_customer_date")
    shown = float(row.find("td", cls="nulls").attrs["data-nulls"])
    assert shown == pytest.approx(100 * undelivered / len(latest))
    assert f"{100 * undelivered / len(latest):.1f}%" in row.text()
    order_id = built.section("orders").find("tr", data_column="order_id")
    assert float(order_id.find("td", cls="nulls").attrs["data-nulls"]) == 0
    assert f"{len(latest):,} rows now" in built.section("orders").find("summary").text()


def test_docs_shows_failed_tests_and_their_node_as_failing(built):
    customers = built.section("customers")
    assert customers.attrs["data-state"] == "tests-failed"
    city = customers.find("tr", data_test="accepted_values_customers_customer_city")
    assert "result-fail" in city.classes
    assert city.find("span", cls="badge").text() == "fail"
    assert int(city.find_all("td", cls="num")[0].text().replace(",", "")) > 0
    passing = customers.find("tr", data_test="unique_customers_customer_id")
    assert "result-pass" in passing.classes
    box = built.doc.find("g", cls="dag-node", data_node="customers")
    assert "state-tests-failed" in box.classes
    summary = {
        c.find("span", cls="label").text(): c.find("span", cls="figure").text()
        for c in built.doc.find_all("div", cls="card")
    }
    assert summary["tests failed"] == "1"
    assert summary["failed"] == "0"
    assert summary["passed"] == str(len(_manifest(built.root)["nodes"]) - 1)
    assert "2 fail" in built.doc.find("div", cls="tests").text()


def test_docs_never_shows_sensitive_values(built):
    customers = built.section("customers")
    city = customers.find("tr", data_test="accepted_values_customers_customer_city")
    samples = [c.text() for c in city.find("td", cls="sample").find_all("code")]
    assert samples and all(s == "customer_city=***" for s in samples)
    state = customers.find("tr", data_test="accepted_values_customers_customer_state")
    shown = [c.text() for c in state.find("td", cls="sample").find_all("code")]
    assert shown and all(re.fullmatch(r"customer_state='[A-Z]{2}'", s) for s in shown)  # others are shown
    text = built.html.lower()
    cities = _cities(built.root)
    assert len(cities) > 5
    assert [c for c in cities if c in text] == []
    column = customers.find("tr", data_column="customer_city")
    assert column.find("span", cls="sensitive")
    assert float(column.find("td", cls="nulls").attrs["data-nulls"]) == 0  # null percentages are fine


def test_docs_shows_the_last_run_with_watermarks_and_drift(built):
    orders = built.section("orders")
    before, after = (c.text() for c in orders.find("dd", cls="watermark").find_all("code"))
    day_one_max = max(r["modified_at"] for r in built.orders_day_one)
    day_two_max = max(r["modified_at"] for r in _orders(built.root))
    assert datetime.fromisoformat(before) == datetime.fromisoformat(day_one_max)
    assert (
        datetime.fromisoformat(after) == datetime.fromisoformat(day_two_max) > datetime.fromisoformat(before)
    )
    rows_before, rows_after = len(_latest(built.orders_day_one)), len(_latest(_orders(built.root)))
    drift = orders.find("dd", cls="data-drift").text()
    assert f"{rows_before:,} → {rows_after:,} rows" in " ".join(drift.split())
    assert orders.find("span", cls="delta").text() == f"+{rows_after - rows_before}"
    assert "unchanged" in orders.find("dd", cls="logic-drift").text()
    assert "SQL changed" in built.section("daily_revenue").find("dd", cls="logic-drift").text()
    for name in ("top_categories", "order_lines"):
        assert "unchanged" in built.section(name).find("dd", cls="logic-drift").text()


def test_docs_shows_sql_lineage_and_write_settings(built):
    orders = built.section("orders")
    assert "MERGE" not in orders.find("pre", cls="sql").text()  # the query, not the statements
    assert "incremental" in orders.find("span", cls="mat-incremental").text()
    facts = orders.find("div", cls="facts").text()
    assert "merge" in facts and "order_id" in facts and "modified_at" in facts
    assert orders.find("span", cls="k").text().upper() in {"SELECT", "WITH"}  # highlighted keywords
    revenue = built.section("daily_revenue").find("tr", data_column="revenue_usd")
    inputs = [" ".join(i.text().split()) for i in revenue.find_all("span", cls="input")]
    assert inputs == ["order_lines.amount_usd AGGREGATION"]
    assert revenue.find("a").attrs["href"] == "#node-order_lines"
    rows_from = built.section("daily_revenue").find("p", cls="rows-from").text()
    assert "order_lines.order_date" in rows_from and "GROUP_BY" in rows_from


def test_docs_report_is_self_contained(built):
    assert "http://" not in built.html and "https://" not in built.html
    for element in built.doc.iter():
        assert element.tag not in {"link", "img", "iframe", "object", "embed"}
        assert "src" not in element.attrs
        for key in ("href", "xlink:href"):
            assert element.attrs.get(key, "#").startswith("#"), element.attrs
    style = "".join(s.text() for s in built.doc.find_all("style"))
    assert "url(" not in style and "@import" not in style
    assert built.doc.find("script").text().strip()  # the inline filter script


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_docs_renders_in_headless_chromium(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    page = (built.root / "target/report.html").as_uri()
    flags = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    flags += [f"--user-data-dir={out / 'profile'}", "--window-size=1400,1000"]
    dom = subprocess.run(
        [*flags, "--dump-dom", page], capture_output=True, text=True, timeout=120, check=True
    )
    rendered = parse_html(dom.stdout)
    assert rendered.find("html").attrs.get("data-ready") == "true"  # the inline script ran
    nodes = _manifest(built.root)["nodes"]
    assert len(rendered.find("svg", cls="dag").find_all("g", cls="dag-node")) == len(nodes)
    shot = out / "report.png"  # kept as an artifact of the run
    subprocess.run([*flags, f"--screenshot={shot}", page], capture_output=True, timeout=120, check=True)
    colours = {c[:3] for c in distinct_colours(shot)}
    assert len(colours) > 200, "the screenshot is (nearly) blank"
    for css in ("2f9e44", "e6f6ec", "e7f0ff"):  # passed stripe, table and view box fills of the DAG
        assert bytes.fromhex(css) in colours


def test_docs_before_any_run_says_what_is_missing(tmp_path, capsys):
    root = write_project(
        tmp_path / "p",
        {
            "odibi_project.yaml": """
                name: fresh
                targets:
                  dev: {dialect: duckdb, path: target/fresh.duckdb}
            """,
            "pipelines/p.yaml": """
                pipeline: p
                nodes:
                  - name: numbers
                    description: "Numbers <b>not bold</b>"
                    sql: "select 1 as n"
                    columns:
                      n: {tests: [not_null]}
                  - name: doubled
                    sql: "select n * 2 as n2 from {{ ref('numbers') }}"
            """,
        },
    )
    out = tmp_path / "elsewhere" / "r.html"
    result = run_cli(capsys, "docs", "--project-dir", root, "--output", out)
    assert "2 nodes" in result.out and "not run 2" in result.out
    doc = parse_html(out.read_text(encoding="utf-8"))
    numbers = doc.find("section", id="node-numbers")
    assert numbers.attrs["data-state"] == "not-run"
    assert "p.numbers is not built yet" in numbers.find("p", cls="note").text()
    assert numbers.find("p", cls="desc").text() == "Numbers <b>not bold</b>"  # escaped, shown as text
    assert numbers.find("tr", data_test="not_null_numbers_n").find("span", cls="badge").text() == "not run"
    assert not (root / "target" / "report.html").exists()


def test_docs_select_limits_the_report_and_bad_selectors_write_nothing(tmp_path, capsys):
    root = write_project(
        tmp_path / "p",
        {
            "odibi_project.yaml": """
                name: sel
                targets:
                  dev: {dialect: duckdb, path: target/sel.duckdb}
            """,
            "pipelines/p.yaml": """
                pipeline: p
                nodes:
                  - {name: a, sql: "select 1 as x"}
                  - {name: b, sql: "select x from {{ ref('a') }}"}
                  - {name: c, sql: "select x from {{ ref('b') }}"}
            """,
        },
    )
    run_cli(capsys, "run", "--project-dir", root)
    run_cli(capsys, "docs", "--project-dir", root, "--select", "b+")
    doc = parse_html((root / "target/report.html").read_text(encoding="utf-8"))
    assert [s.attrs["data-name"] for s in doc.find_all("section", cls="node")] == ["b", "c"]
    assert [(p.attrs["data-from"], p.attrs["data-to"]) for p in doc.find_all("path", cls="dag-edge")] == [
        ("b", "c")
    ]
    assert doc.find("tr", data_column="x").find("td", cls="nulls").attrs["data-nulls"] == "0.0"
    before = (root / "target/report.html").read_text(encoding="utf-8")
    none = run_cli(capsys, "docs", "--project-dir", root, "--select", "nope")
    assert "nothing to document" in none.out
    bad = run_cli(capsys, "docs", "--project-dir", root, "--select", "bogus:x", expect=2)
    assert "unknown selector method 'bogus'" in bad.err
    assert (root / "target/report.html").read_text(encoding="utf-8") == before  # nothing written


def test_docs_shows_a_failed_node_its_skipped_descendants_and_ephemerals(tmp_path, capsys):
    root = write_project(
        tmp_path / "p",
        {
            "odibi_project.yaml": """
                name: broken
                targets:
                  dev: {dialect: duckdb, path: target/broken.duckdb}
            """,
            "pipelines/p.yaml": """
                pipeline: p
                nodes:
                  - {name: base, sql: "select 'x' as code, 1 as n"}
                  - {name: helper, materialized: ephemeral, sql: "select code, n from {{ ref('base') }}"}
                  - {name: bad, sql: "select cast(code as integer) as code from {{ ref('helper') }}"}
                  - {name: after_bad, sql: "select code from {{ ref('bad') }}"}
            """,
        },
    )
    run_cli(capsys, "run", "--project-dir", root, expect=1)
    result = run_cli(capsys, "docs", "--project-dir", root)
    assert "passed 1, failed 1" in result.out and "skipped 1" in result.out
    doc = parse_html((root / "target/report.html").read_text(encoding="utf-8"))
    states = {s.attrs["data-name"]: s.attrs["data-state"] for s in doc.find_all("section", cls="node")}
    assert states == {"base": "success", "helper": "not-run", "bad": "error", "after_bad": "skipped"}
    bad = doc.find("section", id="node-bad")
    message = bad.find("pre", cls="message").text()
    assert "Conversion Error" in message and "left as it was" in message
    assert "p.bad is not built yet" in bad.find("p", cls="note").text()
    assert "upstream bad did not succeed" in doc.find("section", id="node-after_bad").text()
    helper = doc.find("section", id="node-helper")
    assert "ephemeral" in helper.find("p", cls="note").text()
    assert "mat-ephemeral" in doc.find("g", cls="dag-node", data_node="helper").classes
    code = bad.find("tr", data_column="code").find("span", cls="input")
    assert " ".join(code.text().split()) == "helper.code TRANSFORMATION"  # one hop: the ephemeral
