"""dbt projects built by the real dbt (dbt-duckdb) and by odibi-sql give the same relations:
same names, kinds, column names, column types and rows. Incremental projects build again after
their ``_phases/<n>/`` files are copied over them (new data), and are compared after each build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.dbt.compare import is_odibi_bookkeeping, relations
from tests.functional.helpers import run_cli

PROJECTS = Path(__file__).parent / "projects"
DATABASES = {
    "shop": "shop.duckdb",
    "events": "events.duckdb",
    "toolkit": "toolkit.duckdb",
    "ledger": "ledger.duckdb",
}


def _phases(name: str) -> list[str | None]:
    extra = PROJECTS / name / "_phases"
    return [None, *sorted(p.name for p in extra.iterdir())] if extra.is_dir() else [None]


CASES = [(name, i) for name in DATABASES for i, _ in enumerate(_phases(name))]


def _copy(name: str, into: Path) -> Path:
    shutil.copytree(PROJECTS / name, into, ignore=shutil.ignore_patterns("_phases", "*.duckdb", "target"))
    return into


@pytest.fixture(scope="module")
def dbt_built(tmp_path_factory) -> dict[tuple[str, int], Path | None]:
    """Every project and phase built by dbt, in one dbt process."""
    root = tmp_path_factory.mktemp("dbt")
    steps, out = [], {}
    for name, database in DATABASES.items():
        project = _copy(name, root / name)
        for i, phase in enumerate(_phases(name)):
            snapshot = root / f"{name}.{i}.duckdb"
            apply = str(PROJECTS / name / "_phases" / phase) if phase else None
            steps.append(
                {"project": str(project), "apply": apply, "database": database, "snapshot": str(snapshot)}
            )
            out[(name, i)] = snapshot
    (root / "steps.json").write_text(json.dumps(steps))
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_VERSION_CHECK": "false"}
    env.pop("DBT_PROFILES_DIR", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "dbt_driver.py"), str(root / "steps.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    succeeded = json.loads(done.stdout.strip().splitlines()[-1])
    return {key: path if succeeded[str(path)] else None for key, path in out.items()}


@pytest.fixture(scope="module")
def odibi_built(tmp_path_factory) -> dict[tuple[str, int], Path]:
    """Every project and phase built by odibi-sql (``odibi-sql build`` in-process)."""
    from odibi_sql.cli.app import main

    root = tmp_path_factory.mktemp("odibi")
    out = {}
    for name, database in DATABASES.items():
        project = _copy(name, root / name)
        for i, phase in enumerate(_phases(name)):
            if phase:
                shutil.copytree(PROJECTS / name / "_phases" / phase, project, dirs_exist_ok=True)
            code = main(["build", "--project-dir", str(project)])
            assert code == 0, f"odibi-sql build of {name} (phase {i}) exited {code}"
            out[(name, i)] = root / f"{name}.{i}.duckdb"
            shutil.copy(project / database, out[(name, i)])
    return out


@pytest.mark.parametrize(("project", "phase"), CASES, ids=[f"{n}-build{i + 1}" for n, i in CASES])
def test_odibi_builds_what_dbt_builds(project, phase, dbt_built, odibi_built):
    dbt_db = dbt_built[(project, phase)]
    assert dbt_db is not None, f"dbt build of {project} (phase {phase}) failed"
    expected = relations(dbt_db)
    actual = {
        k: v for k, v in relations(odibi_built[(project, phase)]).items() if not is_odibi_bookkeeping(*k)
    }
    assert sorted(actual) == sorted(expected)
    for key, (kind, columns, rows) in expected.items():
        got_kind, got_columns, got_rows = actual[key]
        assert (got_kind, got_columns) == (kind, columns), key
        assert got_rows == rows, key


def test_the_cli_says_it_read_a_dbt_project(tmp_path, capsys):
    project = _copy("shop", tmp_path / "shop")
    result = run_cli(capsys, "compile", "--project-dir", project)
    assert "read as a dbt project" in result.err
