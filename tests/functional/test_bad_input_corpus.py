"""A corpus of broken and hostile projects (issue 15).

Each case is a small valid project with a few files changed. For every case, ``compile`` must exit
2 with the file and line of the problem in its message, show no traceback, write nothing under
``target/``, and leave everything outside the project as it was: a canary file next to the project
keeps its content (which never appears in any message) and no shell command planted by the project
ran.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.functional.helpers import run_cli

CANARY = "canary-5e1f: outside the project"
PWNED = "pwned"  # a hostile project tries to create this file next to the canary


def _escape(expression: str) -> str:
    """A Jinja expression that would run a shell command outside a sandbox."""
    return "{{ " + expression.replace("CMD", f"'touch {{outside}}/{PWNED}'") + " }}"


BASE = {
    "odibi_project.yaml": """
        name: corpus
        connections:
          landing: {type: files, path: data}
        seeds:
          codes: {columns: {code: {type: VARCHAR}}}
    """,
    "data/orders.csv": "order_id,customer_id,amount,updated_at\n1,10,2.5,2024-01-01\n",
    "seeds/codes.csv": "code,label\nS,shipped\n",
    "macros/money.sql": """
        {% macro positive(column) -%}
            {{ column }} > 0
        {%- endmacro %}
    """,
    "pipelines/p.yaml": """
        pipeline: p
        nodes:
          - name: raw_orders
            read: {connection: landing, format: csv, path: orders.csv}
          - name: orders
            sql: sql/orders.sql
            columns:
              order_id: {tests: [unique]}
    """,
    "sql/orders.sql": """
        select order_id,
               customer_id,
               amount,
               updated_at
        from {{ ref('raw_orders') }}
        where {{ positive('amount') }}
    """,
}


DBT_BASE = {
    "dbt_project.yml": "name: shop\nversion: '1.0.0'\nconfig-version: 2\nprofile: shop\n",
    "profiles.yml": "shop:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: shop.duckdb}\n",
    "seeds/raw_orders.csv": "order_id,amount\n1,2.5\n",
    "macros/money.sql": "{% macro positive(c) %}{{ c }} > 0{% endmacro %}\n",
    "models/orders.sql": "select order_id,\n       amount\nfrom {{ ref('raw_orders') }}\nwhere {{ positive('amount') }}\n",
}


@dataclass(frozen=True)
class Symlink:
    """A file written as a symlink to ``to`` (``{outside}`` is the folder next to the project)."""

    to: str


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes | Symlink | None]  # None removes a base file
    where: str  # "file:line" expected in the message (the file alone when the problem has no line)
    says: str = ""  # a fragment of the message
    args: tuple[str, ...] = ("compile",)
    exit: int = 2  # lint reports what compile refuses as findings: exit 1
    base: str = "odibi"  # or "dbt": a dbt project


def _sql(body: str) -> dict:
    return {"sql/orders.sql": body}


def _node(extra_yaml: str, sql: str | None = None) -> dict:
    """The base pipeline with ``extra_yaml`` appended to the ``orders`` node."""
    files = {
        "pipelines/p.yaml": BASE["pipelines/p.yaml"].rstrip()
        + "\n"
        + textwrap.indent(textwrap.dedent(extra_yaml).strip("\n"), " " * 12)
        + "\n"
    }
    if sql is not None:
        files["sql/orders.sql"] = sql
    return files


def _project(extra_yaml: str) -> dict:
    return {
        "odibi_project.yaml": BASE["odibi_project.yaml"].rstrip()
        + "\n"
        + textwrap.indent(textwrap.dedent(extra_yaml).strip("\n"), " " * 8)
        + "\n"
    }


def _read(path: str) -> dict:
    return {"pipelines/p.yaml": BASE["pipelines/p.yaml"].replace("path: orders.csv", f"path: '{path}'")}


def _columns_tests(tests: str) -> dict:
    return {
        "pipelines/p.yaml": BASE["pipelines/p.yaml"].replace("{tests: [unique]}", "{tests: " + tests + "}")
    }


def _project_seed(settings: str) -> dict:
    return {
        "odibi_project.yaml": BASE["odibi_project.yaml"].replace(
            "codes: {columns: {code: {type: VARCHAR}}}", "codes: " + settings
        )
    }


ALIAS_BOMB = (
    "pipeline: q\nmeta:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"  {chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8)
    )
    + "nodes: []\n"
)

ESCAPES = {
    "cycler_globals": "cycler.__init__.__globals__.os.system(CMD)",
    "joiner_globals": "joiner.__init__.__globals__.os.popen(CMD).read()",
    "subclasses": "''.__class__.__mro__[1].__subclasses__()",
    "lipsum_globals": "lipsum.__globals__['os'].system(CMD)",
    "namespace_init": "namespace.__init__.__globals__.os.system(CMD)",
    "attr_filter": "(cycler|attr('__init__')|attr('__globals__'))['os'].system(CMD)",
    "format_globals": "'{0.__init__.__globals__}'.format(cycler)",
    "range_class": "range.__class__.__base__.__subclasses__()",
}

CASES: list[Case] = [
    # -- Jinja that tries to leave the sandbox: SQL files, inline SQL, macros, YAML values ---------
    *(
        Case(
            f"jinja_sql_{name}",
            _sql(f"select 1 as x\nfrom {{{{ ref('raw_orders') }}}}\n{_escape(e)}\n"),
            "sql/orders.sql:3",
            "unsafe attribute",
        )
        for name, e in ESCAPES.items()
    ),
    Case(
        "jinja_inline_sql",
        {
            "pipelines/p.yaml": "pipeline: p\nnodes:\n  - name: orders\n    sql: |\n      select 1 as x\n      "
            + _escape(ESCAPES["cycler_globals"])
            + "\n"
        },
        "pipelines/p.yaml:6",
        "unsafe attribute",
    ),
    Case(
        "jinja_macro_body",
        {
            "macros/money.sql": "{% macro positive(c) %}"
            + _escape(ESCAPES["cycler_globals"])
            + "{% endmacro %}\n"
        },
        "sql/orders.sql:6",
        "unsafe attribute",
    ),
    Case(
        "jinja_macro_top_level",
        {"macros/evil.sql": "{% macro x() %}1{% endmacro %}\n\n" + _escape(ESCAPES["cycler_globals"]) + "\n"},
        "macros/evil.sql:3",
        "unsafe attribute",
    ),
    Case(
        "jinja_project_value",
        _project('vars:\n  who: "' + _escape(ESCAPES["cycler_globals"]).replace('"', "'") + '"'),
        "odibi_project.yaml:7",
        "unsafe attribute",
    ),
    Case(
        "jinja_string_bomb",
        _sql("select 1 as x from {{ ref('raw_orders') }}\nwhere '{{ 'x' * 10**10 }}' = ''\n"),
        "sql/orders.sql:2",
        "exceeds a limit",
    ),
    Case(
        "jinja_power_bomb",
        _sql("select {{ 2 ** 100000 }} as x\nfrom {{ ref('raw_orders') }}\n"),
        "sql/orders.sql:1",
        "exceeds a limit",
    ),
    Case(
        "jinja_range_bomb",
        _sql("select 1 as x\nfrom {{ ref('raw_orders') }}\n{% for i in range(10**9) %}{% endfor %}\n"),
        "sql/orders.sql:3",
        "range",
    ),
    Case(
        "jinja_recursive_macro",
        {"macros/money.sql": "{% macro positive(c) %}{{ positive(c) }}{% endmacro %}\n"},
        "sql/orders.sql:6",
        "recurses too deeply",
    ),
    Case(
        "jinja_syntax",
        _sql("select 1 as x\nfrom {{ ref('raw_orders') }\n"),
        "sql/orders.sql:2",
        "Jinja syntax",
    ),
    Case(
        "jinja_undefined_var",
        _sql("select {{ var('nope') }} as x\nfrom {{ ref('raw_orders') }}\n"),
        "sql/orders.sql:1",
        "var('nope')",
    ),
    Case(
        "jinja_macro_syntax",
        {"macros/money.sql": "{% macro positive(c) %}\n{{ c }\n{% endmacro %}\n"},
        "macros/money.sql:2",
        "does not parse",
    ),
    # -- references -------------------------------------------------------------------------------
    Case(
        "unknown_ref", _sql("select 1 as x\nfrom {{ ref('raw_orderz') }}\n"), "sql/orders.sql:2", "raw_orderz"
    ),
    Case(
        "unknown_column",
        _sql("select order_idd\nfrom {{ ref('raw_orders') }}\n"),
        "sql/orders.sql:1",
        "order_idd",
    ),
    Case(
        "sql_parse_error",
        _sql("select order_id,\n  (amount\nfrom {{ ref('raw_orders') }}\n"),
        "sql/orders.sql:3",
        "does not parse",
    ),
    Case("missing_sql_file", {"sql/orders.sql": None}, "pipelines/p.yaml:6", "does not exist"),
    # -- YAML ---------------------------------------------------------------------------------------
    Case(
        "yaml_malformed",
        {"pipelines/p.yaml": "pipeline: p\nnodes:\n  - name: [x\n"},
        "pipelines/p.yaml:",
        "malformed YAML",
    ),
    Case("yaml_unknown_key", _node("materialise: table"), "pipelines/p.yaml:9", "materialise"),
    Case(
        "yaml_duplicate_node",
        {"pipelines/q.yaml": "pipeline: q\nnodes:\n  - name: orders\n    sql: select 1 as x\n"},
        "pipelines/q.yaml:3",
        "defined twice",
    ),
    # -- files outside the project or outside a connection's folder -------------------------------
    Case("read_path_dotdot", _read("../../outside/canary.txt"), "pipelines/p.yaml:4", "leads outside"),
    Case("read_path_absolute", _read("{outside}/canary.txt"), "pipelines/p.yaml:4", "leads outside"),
    Case("read_path_glob_dotdot", _read("../../outside/*.txt"), "pipelines/p.yaml:4", "leads outside"),
    Case(
        "read_path_link",
        {**_read("link.csv"), "data/link.csv": Symlink("{outside}/canary.txt")},
        "pipelines/p.yaml:4",
        "leads outside",
    ),
    Case(
        "read_glob_matches_link",
        {**_read("*.csv"), "data/zz.csv": Symlink("{outside}/canary.txt")},
        "pipelines/p.yaml:4",
        "leads outside",
    ),
    Case(
        "seed_link",
        {"seeds/codes.csv": Symlink("{outside}/canary.txt")},
        "seeds/codes.csv",
        "outside the project",
    ),
    Case(
        "sql_file_link",
        {"sql/orders.sql": Symlink("{outside}/canary.txt")},
        "pipelines/p.yaml:6",
        "outside the project",
    ),
    Case(
        "sql_file_dotdot",
        {"pipelines/p.yaml": BASE["pipelines/p.yaml"].replace("sql/orders.sql", "../outside/x.sql")},
        "pipelines/p.yaml:6",
        "outside the project",
    ),
    Case(
        "macro_link",
        {"macros/evil.sql": Symlink("{outside}/canary.txt")},
        "macros/evil.sql",
        "outside the project",
    ),
    Case(
        "pipeline_link",
        {"pipelines/q.yaml": Symlink("{outside}/canary.txt")},
        "pipelines/q.yaml",
        "outside the project",
    ),
    # -- encodings ------------------------------------------------------------------------------
    Case(
        "sql_latin1",
        {"sql/orders.sql": b"select order_id,\n  'caf\xe9' as x\nfrom {{ ref('raw_orders') }}\n"},
        "sql/orders.sql:2",
        "not UTF-8",
    ),
    Case(
        "sql_utf16",
        {"sql/orders.sql": "select 1 as x from {{ ref('raw_orders') }}\n".encode("utf-16")},
        "sql/orders.sql:1",
        "not UTF-8",
    ),
    Case(
        "pipeline_latin1",
        {"pipelines/q.yaml": b"pipeline: q\ndescription: caf\xe9\nnodes: []\n"},
        "pipelines/q.yaml:2",
        "not UTF-8",
    ),
    Case(
        "project_latin1",
        {"odibi_project.yaml": b"name: corpus\n# caf\xe9\n"},
        "odibi_project.yaml:2",
        "not UTF-8",
    ),
    Case(
        "macro_latin1",
        {"macros/m.sql": b"{% macro m() %}\ncaf\xe9{% endmacro %}\n"},
        "macros/m.sql:2",
        "not UTF-8",
    ),
    # -- limits: size, aliases, nesting ---------------------------------------------------------
    Case(
        "sql_10_mb",
        {"sql/orders.sql": "select order_id\nfrom {{ ref('raw_orders') }}\n" + "-- padding\n" * 1_000_000},
        "pipelines/p.yaml:6",
        "limited to",
    ),
    Case(
        "yaml_2_mb",
        {"pipelines/q.yaml": "pipeline: q\nnodes: []\n" + "# padding\n" * 200_000},
        "pipelines/q.yaml",
        "limited to",
    ),
    Case(
        "yaml_alias_bomb", {"pipelines/q.yaml": ALIAS_BOMB}, "pipelines/q.yaml:", "more than 250,000 values"
    ),
    Case(
        "yaml_deep", _node("meta: " + "{a: " * 100 + "1" + "}" * 100), "pipelines/p.yaml:9", "nested deeper"
    ),
    Case(
        "yaml_deeper_than_libyaml",
        _node("meta: " + "[" * 2000 + "]" * 2000),
        "pipelines/p.yaml:9",
        "malformed YAML",
    ),
    Case(
        "sql_deep_parentheses",
        _sql("select order_id, " + "(" * 300 + "1" + ")" * 300 + " as x\nfrom {{ ref('raw_orders') }}\n"),
        "sql/orders.sql:1",
        "nested too deeply",
    ),
    Case(
        "sql_union_chain",
        _sql(
            "select order_id from {{ ref('raw_orders') }}\n"
            + "union all select 1 from {{ ref('raw_orders') }}\n" * 5000
        ),
        "sql/orders.sql:",
        "nested too deeply",
    ),
    Case(
        "sql_operator_chain",
        _sql("select order_id, " + " + ".join(["amount"] * 5000) + " as x\nfrom {{ ref('raw_orders') }}\n"),
        "sql/orders.sql:",
        "nested too deeply",
    ),
    # -- dbt projects: the same sandbox, confinement and limits -----------------------------------
    Case(
        "dbt_model_jinja_escape",
        {
            "models/orders.sql": "select order_id\nfrom {{ ref('raw_orders') }}\n"
            + _escape(ESCAPES["cycler_globals"])
            + "\n"
        },
        "models/orders.sql:3",
        "unsafe attribute",
        base="dbt",
    ),
    Case(
        "dbt_macro_jinja_escape",
        {
            "macros/money.sql": "{% macro positive(c) %}"
            + _escape(ESCAPES["joiner_globals"])
            + "{% endmacro %}\n"
        },
        "models/orders.sql:4",
        "unsafe attribute",
        base="dbt",
    ),
    Case(
        "dbt_config_bomb",
        {"models/orders.sql": "{{ config(materialized='table' * 10**10) }}\nselect 1 as x\n"},
        "models/orders.sql:1",
        "computed",
        base="dbt",
    ),
    Case(
        "dbt_model_link",
        {"models/evil.sql": Symlink("{outside}/canary.txt")},
        "models/evil.sql",
        "outside the project",
        base="dbt",
    ),
    Case(
        "dbt_seed_link",
        {"seeds/evil.csv": Symlink("{outside}/canary.txt")},
        "seeds/evil.csv",
        "outside the project",
        base="dbt",
    ),
    Case(
        "dbt_macro_link",
        {"macros/evil.sql": Symlink("{outside}/canary.txt")},
        "macros/evil.sql",
        "outside the project",
        base="dbt",
    ),
    Case(
        "dbt_properties_link",
        {"models/evil.yml": Symlink("{outside}/canary.txt")},
        "models/evil.yml",
        "outside the project",
        base="dbt",
    ),
    Case(
        "dbt_model_latin1",
        {"models/orders.sql": b"select order_id,\n  'caf\xe9' as x\nfrom {{ ref('raw_orders') }}\n"},
        "models/orders.sql:2",
        "not UTF-8",
        base="dbt",
    ),
    # -- the machine: target/ in the way, unwritable, full ---------------------------------------
    Case("target_is_a_file", {"target": "not a folder\n"}, "target", "it is a file"),
    Case("target_unwritable", {"target": Symlink("/sys/kernel")}, "target/.compiled", "cannot use"),
    Case(
        "disk_full",
        {"target/manifest.json.tmp": Symlink("/dev/full")},
        "target/manifest.json",
        "No space left",
    ),
    # -- what run refuses, compile refuses ------------------------------------------------------
    Case(
        "test_unknown_column",
        _node("columns:\n  nope: {tests: [not_null]}").__or__(
            {
                "pipelines/p.yaml": BASE["pipelines/p.yaml"].replace(
                    "order_id: {tests: [unique]}", "nope: {tests: [not_null]}"
                )
            }
        ),
        "pipelines/p.yaml:8",
        "column 'nope' does not exist",
    ),
    Case("test_unknown_name", _columns_tests("[uniq]"), "pipelines/p.yaml:8", "unknown test 'uniq'"),
    Case(
        "test_accepted_values_not_a_list",
        _columns_tests("[{accepted_values: {values: 3}}]"),
        "pipelines/p.yaml:8",
        "valid list",
    ),
    Case(
        "test_accepted_values_mapping",
        _columns_tests("[{accepted_values: [{a: 1}]}]"),
        "pipelines/p.yaml:8",
        "not a string, number",
    ),
    Case(
        "test_accepted_values_wrong_type",
        _columns_tests("[{accepted_values: [shipped]}]"),
        "pipelines/p.yaml:8",
        "expected a number",
    ),
    Case(
        "test_relationships_unknown_node",
        _columns_tests("[{relationships: {to: nope, field: id}}]"),
        "pipelines/p.yaml:8",
        "nope",
    ),
    Case("test_column_test_on_node", _node("tests: [not_null]"), "pipelines/p.yaml:9", "tests a column"),
    Case(
        "merge_without_unique_key",
        _node("materialized: incremental\nwrite: {mode: merge}"),
        "pipelines/p.yaml:10",
        "needs write.unique_key",
    ),
    Case(
        "merge_unknown_key",
        _node("materialized: incremental\nwrite: {mode: merge, unique_key: [order_idx]}"),
        "pipelines/p.yaml:10",
        "order_idx",
    ),
    Case(
        "hwm_unknown_column",
        _node("materialized: incremental\nwrite: {mode: append, hwm_column: changed_at}"),
        "pipelines/p.yaml:5",
        "changed_at",
    ),
    Case(
        "audit_columns_clash",
        _node(
            "materialized: incremental\nwrite: {mode: merge, unique_key: [order_id], audit_columns: true}",
            BASE["sql/orders.sql"].replace("updated_at", "updated_at"),
        ),
        "pipelines/p.yaml:10",
        "already has updated_at",
    ),
    Case(
        "test_unknown_column_lint",
        _columns_tests("[uniq]"),
        "pipelines/p.yaml:8",
        "unknown test 'uniq'",
        args=("lint",),
        exit=1,
    ),
    Case(
        "merge_without_unique_key_lint",
        _node("materialized: incremental\nwrite: {mode: merge}"),
        "pipelines/p.yaml:10",
        "needs write.unique_key",
        args=("lint",),
        exit=1,
    ),
    # -- seeds ----------------------------------------------------------------------------------
    Case(
        "seed_invalid_table",
        _project_seed("{table: 'bad table!'}"),
        "odibi_project.yaml:5",
        "not a valid name",
    ),
    Case("seed_unknown_key", _project_seed("{tabel: x}"), "odibi_project.yaml:5", "unknown key 'tabel'"),
    Case("seed_without_file", {"seeds/codes.csv": None}, "odibi_project.yaml:5", "has no file"),
    # -- more broken projects ---------------------------------------------------------------------
    Case(
        "unknown_connection",
        {"pipelines/p.yaml": BASE["pipelines/p.yaml"].replace("connection: landing", "connection: lnding")},
        "pipelines/p.yaml:4",
        "lnding",
    ),
    Case("unknown_materialized", _node("materialized: tabel"), "pipelines/p.yaml:9", "materialized"),
    Case(
        "invalid_node_name",
        {"pipelines/q.yaml": "pipeline: q\nnodes:\n  - name: bad name\n    sql: select 1 as x\n"},
        "pipelines/q.yaml:3",
        "name",
    ),
    Case(
        "cycle",
        {
            "pipelines/q.yaml": "pipeline: q\nnodes:\n  - name: a\n    sql: select * from {{ ref('b') }}\n"
            "  - name: b\n    sql: select * from {{ ref('a') }}\n"
        },
        "pipelines/q.yaml:3",
        "cycle",
    ),
    Case(
        "two_statements",
        _sql("select order_id from {{ ref('raw_orders') }};\nselect 1;\n"),
        "sql/orders.sql:1",
        "one SELECT",
    ),
    Case("not_a_select", _sql("drop table {{ ref('raw_orders') }}\n"), "sql/orders.sql:1", "one SELECT"),
    Case(
        "env_var_missing",
        _project("vars:\n  who: \"{{ env_var('ODIBI_CORPUS_UNSET') }}\""),
        "odibi_project.yaml:7",
        "ODIBI_CORPUS_UNSET",
    ),
    Case(
        "unknown_transform",
        _node("transform:\n  - filter_rowz: {condition: 'x > 1'}"),
        "pipelines/p.yaml:",
        "filter_rowz",
    ),
    Case("unknown_input", _node("inputs: [nope]"), "pipelines/p.yaml:9", "nope"),
    Case("ref_to_itself", _sql("select * from {{ ref('orders') }}\n"), "sql/orders.sql:1", "itself"),
    Case(
        "hwm_without_column",
        _node(
            "materialized: incremental\nwrite: {mode: append}",
            "select * from {{ ref('raw_orders') }}\nwhere updated_at > {{ hwm }}\n",
        ),
        "pipelines/p.yaml:10",
        "hwm_column",
    ),
    Case(
        "yaml_duplicate_key",
        {"pipelines/q.yaml": "pipeline: q\npipeline: r\nnodes: []\n"},
        "pipelines/q.yaml:2",
        "duplicate key",
    ),
    Case("yaml_not_a_mapping", {"pipelines/q.yaml": "- a\n- b\n"}, "pipelines/q.yaml:1", "mapping"),
    Case(
        "table_format_on_files",
        {
            "pipelines/p.yaml": BASE["pipelines/p.yaml"].replace(
                "format: csv, path: orders.csv", "format: table, table: x"
            )
        },
        "pipelines/p.yaml:4",
        "holds files",
    ),
    Case(
        "declared_column_missing",
        {
            "pipelines/p.yaml": BASE["pipelines/p.yaml"].replace(
                "path: orders.csv}", "path: orders.csv}\n            columns: {nope: {type: INTEGER}}"
            )
        },
        "pipelines/p.yaml:5",
        "nope",
    ),
    Case(
        "dead_letter_parquet",
        {
            "pipelines/p.yaml": BASE["pipelines/p.yaml"].replace(
                "format: csv, path: orders.csv", "format: parquet, path: orders.csv, on_error: dead_letter"
            )
        },
        "pipelines/p.yaml:4",
        "dead_letter",
    ),
    Case("unknown_project_key", _project("targts: {}"), "odibi_project.yaml:6", "targts"),
    Case("unknown_default_target", _project("default_target: prod"), "odibi_project.yaml:6", "prod"),
]


def _write(root: Path, outside: Path, files: dict) -> None:
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Symlink):
            path.unlink(missing_ok=True)
            path.symlink_to(content.to.replace("{outside}", str(outside)))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(
                textwrap.dedent(content.replace("{outside}", str(outside))).lstrip("\n"), encoding="utf-8"
            )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_cleanly(case: Case, tmp_path: Path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    canary = outside / "canary.txt"
    canary.write_text(CANARY)
    project = tmp_path / "project"
    _write(project, outside, DBT_BASE if case.base == "dbt" else BASE)
    _write(project, outside, case.files)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))

    result = run_cli(capsys, *case.args, "--project-dir", project, expect=case.exit)

    assert case.where in result.text, result.text
    assert case.says in result.text, result.text
    assert "internal error" not in result.text
    assert CANARY not in result.text
    assert canary.read_text() == CANARY and sorted(os.listdir(outside)) == ["canary.txt"]
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before, "nothing may be written"


def test_corpus_is_large_enough():
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
