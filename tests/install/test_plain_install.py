"""A plain ``pip install odibi-sql`` (no extras) gives a working CLI: every module the package
imports at start-up is a declared dependency, checked statically and by a real install."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OPTIONAL = {"pyspark": ("spark", "pyspark"), "delta": ("delta", "delta-spark")}  # only when Spark opens


def _requirement_names(requirements: list[str]) -> set[str]:
    names = set()
    for req in requirements:
        name = req.split(";")[0]
        for stop in "[<>=!~ ":
            name = name.split(stop)[0]
        names.add(name.strip().lower().replace("_", "-"))
    return names


def _imported_top_level(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_import_of_the_package_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = _requirement_names(project["dependencies"])
    extras = {extra: _requirement_names(reqs) for extra, reqs in project["optional-dependencies"].items()}
    distributions = packages_distributions()
    missing = []
    for path in sorted((ROOT / "odibi_sql").rglob("*.py")):
        for module in _imported_top_level(path):
            if module in sys.stdlib_module_names or module in ("odibi_sql", "__future__"):
                continue
            if module in OPTIONAL:
                extra, dist = OPTIONAL[module]
                if dist not in extras.get(extra, set()):
                    missing.append(f"{path.relative_to(ROOT)}: {module} (extra {extra})")
                continue
            dists = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
            if not dists & base:
                missing.append(f"{path.relative_to(ROOT)}: {module}")
    assert not missing, "imports without a declared dependency:\n" + "\n".join(missing)


@pytest.mark.slow
def test_plain_install_in_a_fresh_venv_runs_the_cli(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(ROOT)],
        check=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    listed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True, text=True, check=True, env=env,
    ).stdout.lower()  # fmt: skip
    assert "pyspark" not in listed and "pytest" not in listed  # no extras came along

    cli = str(bin_dir / "odibi-sql")
    shown = subprocess.run([cli, "--help"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "compile" in shown.stdout and "build" in shown.stdout

    project = tmp_path / "tiny"
    (project / "pipelines").mkdir(parents=True)
    (project / "odibi_project.yaml").write_text("name: tiny\n")
    (project / "pipelines/p.yaml").write_text(
        "pipeline: p\nnodes:\n  - name: one\n    sql: select 1 as x\n"
        "  - name: two\n    sql: \"select x + 1 as y from {{ ref('one') }}\"\n"
    )
    built = subprocess.run(
        [cli, "build", "--project-dir", str(project)], capture_output=True, text=True, env=env
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert (project / "target/compiled/duckdb/p/two.sql").is_file()
    assert "Traceback" not in built.stdout + built.stderr
