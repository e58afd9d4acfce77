"""The docs' examples run as written.

Convention (see docs/index.md): in a page, a fenced block whose info string has a ``title="path"``
(```` ```yaml title="pipelines/silver.yaml" ````) is a file of the page's example project; every
```` ```bash ```` block is run, in order, in one shell in a fresh folder holding those files,
unless the line before it is ``<!-- example: skip -->``. Commands run through the installed
``odibi-sql`` with ``set -euo pipefail``: any failing command fails the test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
_FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
_TITLE = re.compile(r'title="(?P<path>[^"]+)"')
SKIP = "<!-- example: skip -->"


@dataclass
class PageExample:
    files: dict[str, str] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)


def read_examples(page: Path) -> PageExample:
    text = page.read_text(encoding="utf-8")
    example = PageExample()
    for match in _FENCE.finditer(text):
        info, body = match["info"].strip(), match["body"]
        before = text[: match.start()].rstrip().splitlines()
        skipped = bool(before) and before[-1].strip() == SKIP
        title = _TITLE.search(info)
        if title:
            assert title["path"] not in example.files, f"{page.name}: {title['path']} appears twice"
            example.files[title["path"]] = body
        elif info.split(" ")[0] == "bash" and not skipped:
            example.commands.append(body)
    return example


def run_page(page: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    example = read_examples(page)
    for relative, body in example.files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    script = "set -euo pipefail\n" + "\n".join(example.commands)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONWARNINGS", None)
    result = subprocess.run(
        ["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, (
        f"{page.name}: a command failed (exit {result.returncode})\n--- stdout\n{result.stdout}"
        f"\n--- stderr\n{result.stderr}"
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.sql(sql).fetchall()


@pytest.mark.slow
def test_getting_started_tour_runs(tmp_path: Path) -> None:
    result = run_page(DOCS / "getting-started.md", tmp_path)
    shop = tmp_path / "shop"
    orders = query(shop / "target" / "shop.duckdb", "select order_id, status from silver.orders order by 1")
    # dev: the second run updated 1 and added 6
    assert orders == [
        (1, "delivered"), (2, "delivered"), (3, "canceled"), (4, "delivered"), (5, "shipped"), (6, "shipped")
    ]  # fmt: skip
    # --env prod built into its own database and left out order 3 (amount 0)
    prod = query(shop / "target" / "prod.duckdb", "select order_id from silver.orders order by 1")
    assert prod == [(1,), (2,), (4,), (5,)]
    assert "o.amount >= 1" in result.stdout  # the grep of the --env prod compile
    assert "All checks passed!" in result.stdout  # debug
    assert "Previewing node revenue_by_state" in result.stdout
    assert "merge (upsert)" in result.stdout  # the --dry-run plan
    assert "PASS=6 ERROR=0 SKIP=0 TOTAL=6" in result.stdout  # the first run


@pytest.mark.slow
def test_concepts_example_project_runs(tmp_path: Path) -> None:
    result = run_page(DOCS / "concepts.md", tmp_path)
    database = tmp_path / "target" / "shop.duckdb"
    # merge (upsert) updated order 1 and inserted order 4; order 3 failed its quarantine test
    assert query(database, "select order_id, status from silver.orders order by 1") == [
        (1, "delivered"),
        (2, "delivered"),
        (4, "created"),
    ]
    assert query(database, "select order_id from silver.orders__quarantine") == [(3,)]
    # append keeps every version; the re-run past the watermark added nothing
    assert query(database, "select order_id, status from silver.order_events order by all") == [
        (1, "delivered"),
        (1, "shipped"),
        (2, "delivered"),
        (4, "created"),
    ]
    assert "order_events                             [incremental incremental, 0 rows" in result.stdout


def test_read_examples_follows_the_convention(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "\n".join(
            [
                '```yaml title="pipelines/a.yaml"',
                "pipeline: a",
                "```",
                SKIP,
                "```bash",
                "pip install odibi-sql",
                "```",
                "```bash",
                "odibi-sql run",
                "```",
                "```yaml",
                "just: shown",
                "```",
            ]
        )
        + "\n"
    )
    example = read_examples(page)
    assert example.files == {"pipelines/a.yaml": "pipeline: a\n"}
    assert example.commands == ["odibi-sql run\n"]
