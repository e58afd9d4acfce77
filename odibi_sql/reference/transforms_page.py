"""docs/transforms.md: every standard transform, from its module docstring and params model.

Each transform's YAML example (the ``YAML::`` block of its docstring) is loaded with the project's
YAML loader and compiled for real through the transform chain on a small upstream schema
(``UPSTREAM`` below), then rendered for DuckDB and Spark, so the SQL shown cannot drift.
"""

from __future__ import annotations

import importlib
import re
import tempfile
import textwrap
from collections.abc import Mapping
from pathlib import Path

from sqlglot import exp

from odibi_sql.compile.chain import apply_steps
from odibi_sql.compile.qualify import qualify_query
from odibi_sql.diagnostics import Location
from odibi_sql.dialect import to_sql
from odibi_sql.project.loader import NodeDef
from odibi_sql.project.node_spec import NodeSpec
from odibi_sql.project.yaml_loader import load_yaml
from odibi_sql.reference.markdown import (
    GENERATED,
    default_text,
    description,
    key_of,
    rst_to_markdown,
    table,
    type_name,
)
from odibi_sql.transforms.base import Transform, aliased
from odibi_sql.transforms.registry import available, get_transform

PATH = "transforms.md"
DIALECTS = ("duckdb", "spark")
_SCHEMA = "example"
_UPSTREAM = "upstream"

_ORDER = {"order_id": "INTEGER", "customer_id": "INTEGER"}
_MONEY = "DECIMAL(18,2)"
UPSTREAM: dict[str, dict[str, dict[str, str]]] = {
    # transform -> {relation: {column: DuckDB type}}; "upstream" is the step's input, the others
    # are nodes the example reads (join, union)
    "aggregate": {_UPSTREAM: {**_ORDER, "amount": _MONEY}},
    "case_when": {_UPSTREAM: {"order_id": "INTEGER", "amount": _MONEY}},
    "cast_columns": {_UPSTREAM: {"order_id": "INTEGER", "order_ts": "VARCHAR", "amount": "VARCHAR"}},
    "clean_text": {_UPSTREAM: {"customer_id": "INTEGER", "city": "VARCHAR"}},
    "convert_timezone": {_UPSTREAM: {"order_id": "INTEGER", "order_ts": "TIMESTAMP"}},
    "date_add": {_UPSTREAM: {"order_id": "INTEGER", "order_date": "DATE", "order_ts": "TIMESTAMP"}},
    "date_diff": {
        _UPSTREAM: {"order_id": "INTEGER", "purchase_ts": "TIMESTAMP", "delivered_ts": "TIMESTAMP"}
    },
    "date_trunc": {_UPSTREAM: {"order_id": "INTEGER", "order_ts": "TIMESTAMP"}},
    "deduplicate": {
        _UPSTREAM: {
            "order_id": "INTEGER",
            "status": "VARCHAR",
            "updated_at": "TIMESTAMP",
            "ingested_at": "TIMESTAMP",
        }
    },
    "derive_columns": {_UPSTREAM: {"order_id": "INTEGER", "status": "VARCHAR", "amount": _MONEY}},
    "dict_based_mapping": {_UPSTREAM: {"order_id": "INTEGER", "status": "VARCHAR"}},
    "drop_columns": {
        _UPSTREAM: {"order_id": "INTEGER", "_ingested_at": "TIMESTAMP", "raw_payload": "VARCHAR"}
    },
    "explode_list_column": {_UPSTREAM: {"order_id": "INTEGER", "items": "VARCHAR[]"}},
    "extract_date_parts": {_UPSTREAM: {"order_id": "INTEGER", "order_ts": "TIMESTAMP"}},
    "fill_nulls": {
        _UPSTREAM: {
            "order_id": "INTEGER",
            "discount": _MONEY,
            "channel": "VARCHAR",
            "shipped_date": "DATE",
            "qty": "INTEGER",
            "returned_qty": "INTEGER",
        }
    },
    "filter_rows": {_UPSTREAM: {"order_id": "INTEGER", "status": "VARCHAR", "amount": _MONEY}},
    "hash_columns": {_UPSTREAM: {"customer_id": "INTEGER", "email": "VARCHAR"}},
    "join": {
        _UPSTREAM: {**_ORDER, "amount": _MONEY},
        "customers": {"customer_id": "INTEGER", "customer_city": "VARCHAR", "name": "VARCHAR"},
    },
    "pivot": {_UPSTREAM: {"order_id": "INTEGER", "payment_type": "VARCHAR", "payment_value": _MONEY}},
    "regex_replace": {_UPSTREAM: {"customer_id": "INTEGER", "phone": "VARCHAR", "code": "VARCHAR"}},
    "rename_columns": {_UPSTREAM: {"cust_id": "INTEGER", "ts": "TIMESTAMP", "amount": _MONEY}},
    "scd2": {
        _UPSTREAM: {
            "customer_id": "INTEGER",
            "city": "VARCHAR",
            "segment": "VARCHAR",
            "updated_at": "TIMESTAMP",
        }
    },
    "select_columns": {_UPSTREAM: {**_ORDER, "amount": _MONEY, "status": "VARCHAR"}},
    "split_part": {_UPSTREAM: {"customer_id": "INTEGER", "full_name": "VARCHAR"}},
    "surrogate_key": {_UPSTREAM: {"order_id": "VARCHAR", "order_item_id": "INTEGER", "price": _MONEY}},
    "union": {
        _UPSTREAM: {"order_id": "INTEGER", "amount": _MONEY},
        "orders_2017": {"order_id": "INTEGER", "amount": _MONEY},
        "orders_2018": {"order_id": "INTEGER", "amount": _MONEY, "channel": "VARCHAR"},
    },
    "unpack_struct": {
        _UPSTREAM: {"customer_id": "INTEGER", "address": "STRUCT(city VARCHAR, zip VARCHAR, street VARCHAR)"}
    },
    "unpivot": {_UPSTREAM: {"store_id": "INTEGER", "jan": _MONEY, "feb": _MONEY, "mar": _MONEY}},
    "validate_and_flag": {_UPSTREAM: {"order_id": "INTEGER", "status": "VARCHAR", "amount": _MONEY}},
    "window_calculation": {
        _UPSTREAM: {**_ORDER, "order_ts": "TIMESTAMP", "amount": _MONEY},
    },
}


class MissingExample(Exception):
    """A transform has no ``YAML::`` example or no upstream schema to compile it on."""


def render() -> str:
    parts = [
        GENERATED,
        "",
        "# Standard transforms",
        "",
        "A node's `transform:` steps run in order after its `sql:` (or on its first `inputs:` node).",
        "Each step compiles to a named CTE of one SQL statement; parameters are validated (unknown",
        'keys are errors with a "did you mean") and identifiers are quoted by the AST builder.',
        "Every example below is compiled for real on the upstream columns shown; the SQL is what",
        "`odibi-sql compile` writes to `target/compiled/<dialect>/`.",
        "",
        "```yaml",
        "nodes:",
        "  - name: clean_orders",
        "    inputs: [raw_orders]",
        "    transform:",
        '      - filter_rows: {condition: "amount > 0"}',
        "      - deduplicate: {keys: [order_id], order_by: updated_at desc}",
        "```",
        "",
        "| transform | what it does |",
        "|---|---|",
    ]
    docs = {name: TransformDoc.load(name) for name in available()}
    parts += [f"| [`{name}`](#{name}) | {doc.summary} |" for name, doc in docs.items()]
    for doc in docs.values():
        parts += ["", *doc.section()]
    return "\n".join(parts) + "\n"


class TransformDoc:
    """One transform's page section, read from its module and compiled from its example."""

    def __init__(self, name: str, cls: type[Transform], docstring: str):
        self.name, self.cls = name, cls
        self.summary, self.example, self.notes = _split_docstring(name, docstring)

    @classmethod
    def load(cls, name: str) -> TransformDoc:
        transform = get_transform(name)
        assert transform is not None
        module = importlib.import_module(f"odibi_sql.transforms.{name}")
        return cls(name, transform, module.__doc__ or "")

    def section(self) -> list[str]:
        relations = UPSTREAM.get(self.name)
        if relations is None:
            raise MissingExample(f"{self.name}: add its upstream columns to UPSTREAM in {__name__}")
        try:
            sql = compile_example(self.example, relations)
        except Exception as exc:  # the page says so instead of hiding the transform
            sql = {d: f"-- compiling this example fails: {type(exc).__name__}: {exc}" for d in DIALECTS}
        upstream = ", ".join(f"`{c}` {t}" for c, t in relations[_UPSTREAM].items())
        others = [
            f"`{n}` ({', '.join(f'`{c}` {t}' for c, t in cols.items())})"
            for n, cols in relations.items()
            if n != _UPSTREAM
        ]
        lines = [
            f"## {self.name}",
            "",
            self.summary,
            "",
            *self._parameters(),
            "",
            "```yaml",
            self.example,
            "```",
        ]
        lines += ["", *(f"{rst_to_markdown(p)}\n" for p in self.notes)] if self.notes else []
        lines += [
            f"Compiled on an upstream with {upstream}"
            + (f"; other nodes: {', '.join(others)}" if others else "")
            + ":"
        ]
        for dialect in DIALECTS:
            lines += ["", f"{_DIALECT_TITLE[dialect]}:", "", "```sql", sql[dialect], "```"]
        return lines

    def _parameters(self) -> list[str]:
        rows = []
        for name, info in self.cls.model_fields.items():
            rows.append(
                [
                    f"`{key_of(name, info)}`",
                    type_name(info.annotation),
                    "yes" if info.is_required() else "",
                    f"`{default_text(info)}`" if default_text(info) else "",
                    description(self.cls, name),
                ]
            )
        return [table(["parameter", "type", "required", "default", "description"], rows)]


_DIALECT_TITLE = {"duckdb": "DuckDB", "spark": "Spark SQL"}


def compile_example(example_yaml: str, relations: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Compile a ``transform:`` example on ``relations`` (``upstream`` is the input) for each dialect."""
    steps = _load_steps(example_yaml)
    spec = NodeSpec(name="example", inputs=[_UPSTREAM], transform=steps)
    where = Location("pipelines/example.yaml", 1, 1)
    node = NodeDef(spec, _SCHEMA, "model", where.file, where, ())
    schemas = {(_SCHEMA, n): dict(cols) for n, cols in relations.items()}
    base = qualify_query(exp.select(exp.Star()).from_(_table(_UPSTREAM)), schemas, "duckdb")

    def resolve_ref(name: str) -> tuple[exp.Table, dict[str, str | None]]:
        return aliased(_table(name), name), dict(relations[name])

    query = apply_steps(node, base.query, base.columns, schemas, "duckdb", resolve_ref)
    query = qualify_query(query, schemas, "duckdb").query  # as the compiler does after the steps
    return {d: to_sql(query, d, pretty=True) for d in DIALECTS}


def _table(name: str) -> exp.Table:
    return exp.table_(name, db=_SCHEMA, quoted=True)


def _load_steps(example_yaml: str) -> list[dict]:
    """Read the example with the project's YAML loader (so ``on:`` stays a word, as in a project)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "example.yaml"
        path.write_text(example_yaml, encoding="utf-8")
        return load_yaml(path, "example.yaml").data["transform"]


def _split_docstring(name: str, docstring: str) -> tuple[str, str, list[str]]:
    """(summary, YAML example, prose notes) of a transform module's docstring.

    Literal blocks other than the YAML example (hand-written SQL) are left out: the page shows
    the compiled SQL instead. So is a paragraph about the module's shared helpers.
    """
    paragraphs = re.split(r"\n[ \t]*\n", textwrap.dedent(docstring).strip())
    summary = " ".join(paragraphs[0].split()).removeprefix(f"{name}:").strip()
    summary = summary[:1].upper() + summary[1:]
    yaml_blocks: list[str] = []
    notes: list[str] = []
    literal = None
    for paragraph in paragraphs[1:]:
        if paragraph.startswith(" ") and literal is not None:
            if literal == "YAML::":
                yaml_blocks.append(paragraph)
            continue
        literal = None
        if paragraph.rstrip().endswith("::"):
            literal = paragraph.strip()
            continue
        if not paragraph.startswith("This module also holds"):
            notes.append(" ".join(paragraph.split()))
    if not yaml_blocks:
        raise MissingExample(f"{name}: its module docstring has no YAML:: example")
    return summary, textwrap.dedent("\n\n".join(yaml_blocks)).rstrip(), notes
