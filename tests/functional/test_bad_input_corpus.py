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
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Symlink:
    """A file written as a symlink to ``to`` (``{outside}`` is the folder next to the project)."""

    to: str


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes | Symlink | None]  # None removes a base file
    where: str  # "file:line" expected in the message
    says: str = ""  # a fragment of the message
    args: tuple[str, ...] = ("compile",)
    extra: dict = field(default_factory=dict)


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
]


def _write(root: Path, outside: Path, files: dict) -> None:
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Symlink):
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
    _write(project, outside, BASE)
    _write(project, outside, case.files)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))

    result = run_cli(capsys, *case.args, "--project-dir", project, expect=2)

    assert case.where in result.text, result.text
    assert case.says in result.text, result.text
    assert "internal error" not in result.text
    assert CANARY not in result.text
    assert canary.read_text() == CANARY and sorted(os.listdir(outside)) == ["canary.txt"]
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before, "nothing may be written"

