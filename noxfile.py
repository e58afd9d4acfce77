"""Developer sessions: tests, lint (ruff + import layering), bench, docs."""

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.default_venv_backend = "venv"


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("python", "-m", "pytest", "-q", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("ruff", "check", "odibi_sql", "tests", "bench")
    session.run("lint-imports")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks; figures are ratios or absolute times on this machine, printed as a table."""
    session.install("-e", ".[dev]")
    session.run("python", "bench/compile_bench.py", *session.posargs)
    session.run("python", "bench/lint_bench.py", *session.posargs)
    session.run("python", "bench/run_bench.py", *session.posargs)
    session.run("python", "bench/spark_run_bench.py")  # Spark: odibi-sql run / the same statements
    session.run("python", "bench/merge_bench.py")  # 10M rows; other sizes: bench/merge_bench.py --rows N


@nox.session
def docs(session: nox.Session) -> None:
    """Regenerate docs/reference/, docs/transforms.md and docs/schema/ from the code."""
    session.install("-e", ".[dev]")
    session.run("python", "-m", "odibi_sql.reference", "--docs", "docs")
