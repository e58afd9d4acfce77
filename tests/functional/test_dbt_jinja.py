"""dbt's Jinja context in node SQL and macros: target, config(), log, exceptions, modules; adapter
and run_query refuse with the reason. Compiled and built on a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

from tests.functional.helpers import query, run_cli, write_project

PROJECT = """
    name: jj
    default_target: dev
    targets:
      dev: {dialect: duckdb, path: target/dev.duckdb, threads: 2}
      prod: {dialect: duckdb, path: target/prod.duckdb}
"""


def _project(tmp_path: Path, sql: str, macros: str = "") -> Path:
    files = {
        "odibi_project.yaml": PROJECT,
        "pipelines/p.yaml": "pipeline: p\nnodes:\n  - name: m\n    sql: sql/m.sql\n",
        "sql/m.sql": sql,
    }
    if macros:
        files["macros/env.sql"] = macros
    return write_project(tmp_path / "jj", files)


def test_target_switches_sql_per_target_in_sql_and_macros(tmp_path, capsys):
    root = _project(
        tmp_path,
        """
        {{ config(materialized='table', tags=['x']) }}
        select '{{ target.name }}' as target_name, '{{ target.type }}' as engine,
               '{{ target.database }}' as db, {{ target.threads }} as threads,
               '{{ config.get('materialized') }}' as materialized, {{ row_limit() }} as row_limit
        {% if target.name == 'prod' %} where true {% else %} where 1 = 1 {% endif %}
        """,
        macros="{% macro row_limit() %}{{ 1000 if target.name == 'prod' else 10 }}{% endmacro %}",
    )
    run_cli(capsys, "build", "--project-dir", root)
    assert query(root, "select * from p.m", "target/dev.duckdb") == [("dev", "duckdb", "dev", 2, "table", 10)]
    run_cli(capsys, "build", "--project-dir", root, "--target", "prod")
    assert query(root, "select * from p.m", "target/prod.duckdb") == [
        ("prod", "duckdb", "prod", 4, "table", 1000)
    ]


def test_modules_log_and_warn(tmp_path, capsys):
    root = _project(
        tmp_path,
        """
        {{ log('building m for ' ~ target.name, info=True) }}{{ log('only with --debug') }}
        {{ exceptions.warn('m reads no source') }}
        select '{{ modules.datetime.date(2024, 1, 31).isoformat() }}' as day,
               '{{ modules.re.sub('[^a-z]', '', 'a-b_c') }}' as letters,
               '{{ (modules.datetime.datetime(2024, 1, 1) + modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d') }}' as next_day,
               '{{ modules.pytz.timezone('America/Sao_Paulo').zone }}' as tz
        """,
    )
    result = run_cli(capsys, "build", "--project-dir", root)
    assert "building m for dev" in result.err
    assert "only with --debug" not in result.text
    assert "warning: m reads no source" in result.err
    assert query(root, "select * from p.m", "target/dev.duckdb") == [
        ("2024-01-31", "abc", "2024-01-02", "America/Sao_Paulo")
    ]
    assert "only with --debug" in run_cli(capsys, "compile", "--project-dir", root, "--debug").err


def test_raise_compiler_error_fails_the_compile_at_its_line(tmp_path, capsys):
    root = _project(
        tmp_path,
        "select 1 as x\n{% if target.name != 'prod' %}\n{{ exceptions.raise_compiler_error('only prod') }}\n{% endif %}\n",
    )
    err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
    assert "sql/m.sql:3" in err and "only prod" in err
    assert not (root / "target/manifest.json").exists()


def test_adapter_and_run_query_say_why_they_are_not_supported(tmp_path, capsys):
    for sql in (
        "{% set r = adapter.get_relation(database='d', schema='s', identifier='t') %}select 1 as x",
        "select 1 as x\n{% set rows = run_query('select 1') %}",
    ):
        root = _project(tmp_path, sql)
        err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
        assert "is not supported: it queries the database while compiling" in err
        assert "without a database connection" in err  # the hint


def test_modules_do_not_reach_python_internals(tmp_path, capsys):
    root = _project(tmp_path, "select '{{ modules.re.enum }}' as x")
    err = run_cli(capsys, "compile", "--project-dir", root, expect=2).err
    assert "enum" in err
