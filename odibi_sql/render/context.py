"""Render a node's SQL: the Jinja context (ref, source, var, env_var, is_incremental, this, hwm, and
dbt's target, config, log, exceptions, modules from ``dbt_context.py``).

Relations render as placeholder identifiers that the compiler swaps for AST nodes, so quoting
and dialect stay the compiler's job: ``ref('x')`` -> ``__odibi_ref__x``, ``this`` ->
``__odibi_this__``, ``hwm`` -> ``__odibi_hwm__``, ``source('c', 't')`` -> ``__odibi_src__c__t`` (``'s.t'`` -> ``__odibi_src__c__s.t``).
"""

from __future__ import annotations

import ast
import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

from odibi_sql.diagnostics import Diagnostic, Location, did_you_mean
from odibi_sql.project.sandbox import UNSAFE_HINT, describe_template_error, is_escape, template_line
from odibi_sql.render.dbt_context import CompilerError, dbt_context
from odibi_sql.render.environment import activate

REF_PREFIX = "__odibi_ref__"
SOURCE_PREFIX = "__odibi_src__"
THIS = "__odibi_this__"
HWM = "__odibi_hwm__"
_QUALIFIED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
"""A table name ``source()`` reads from a database connection: ``table`` or ``schema.table``."""


@dataclass
class RenderedSQL:
    """Rendered SQL text, the nodes and sources it referenced, and how to map lines back."""

    text: str
    template: str
    origin: Location
    refs: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    uses_hwm: bool = False
    config: dict[str, Any] = field(default_factory=dict)
    """Settings the template passed to ``config(...)``."""

    def locate(self, line: int, col: int = 0) -> Location:
        """Map a 1-based line/col of the rendered text to the user's file."""
        source_line = _map_line(self.template, self.text, line)
        same = self.template.count("\n") == self.text.count("\n")
        col = col if same or source_line == line else 0
        indent = max(self.origin.col - 1, 0)  # SQL inside a YAML block scalar is indented
        return Location(self.origin.file, self.origin.line + source_line - 1, col + indent if col else 0)

    def snippet(self, line: int, col: int) -> str | None:
        lines = self.text.splitlines()
        if not 1 <= line <= len(lines):
            return None
        text = lines[line - 1]
        caret = " " * (max(col, 1) - 1 + 4) + "^"
        return f"    {text}\n{caret}"


class RenderError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("; ".join(d.message for d in diagnostics))


@dataclass
class RenderRequest:
    """What a render needs to know beyond the template."""

    node: str
    node_names: frozenset[str]
    source_nodes: Mapping[tuple[str, str], str]  # (connection, name) -> source node
    connections: frozenset[str]
    vars: Mapping[str, Any]
    incremental: bool = False
    package: str | None = None
    """The project's name: ``ref('<package>', 'x')`` is ``ref('x')``."""
    target: Mapping[str, Any] = field(default_factory=dict)
    """``target`` in templates (``dbt_context.target_values``)."""
    node_config: Mapping[str, Any] = field(default_factory=dict)
    """What ``config.get`` reads when the template did not set it."""


def render_sql(
    env: jinja2.Environment, template: str, origin: Location, request: RenderRequest
) -> RenderedSQL:
    """Render one SQL template; undefined refs, vars and env vars raise ``RenderError`` with locations."""
    result = RenderedSQL(text=template, template=template, origin=origin)
    if "{" not in template:
        return result
    problems: list[Diagnostic] = []

    def where(pattern: str) -> Location:
        match = re.search(pattern, template)
        if not match:
            return origin
        line = template.count("\n", 0, match.start()) + 1
        col = match.start() - (template.rfind("\n", 0, match.start()) + 1) + 1
        if line > 1:  # lines after the first of a YAML block scalar share its indentation
            return Location(origin.file, origin.line + line - 1, col + max(origin.col - 1, 0))
        return Location(origin.file, origin.line, col if origin.col <= 1 else 0)

    def ref(*names: str) -> str:
        name = names[-1] if names else ""
        if len(names) == 2 and names[0] != request.package:
            problems.append(
                Diagnostic(
                    f"ref('{names[0]}', '{name}'): '{names[0]}' is not this project ({request.package})",
                    where(rf"ref\(\s*['\"]{re.escape(names[0])}['\"]"),
                    node=request.node,
                    hint="models of installed packages are not read: ref models of this project",
                )
            )
            return f"{REF_PREFIX}missing"
        if len(names) not in (1, 2):
            raise TypeError(f"ref() takes a model name, or a package and a name; got {len(names)} arguments")
        if name not in request.node_names:
            problems.append(
                Diagnostic(
                    f"ref('{name}'): there is no node named '{name}'.{did_you_mean(name, request.node_names)}",
                    where(rf"ref\(\s*['\"]{re.escape(name)}['\"]"),
                    node=request.node,
                    hint="check the node name, or add the node to a pipeline",
                    code="OD104",
                )
            )
            return f"{REF_PREFIX}missing"
        if name == request.node:
            problems.append(
                Diagnostic(
                    f"ref('{name}') refers to the node itself",
                    where(rf"ref\(\s*['\"]{re.escape(name)}['\"]"),
                    node=request.node,
                    hint="use {{ this }} to read the node's own target",
                )
            )
        result.refs.append(name)
        return f"{REF_PREFIX}{name}"

    def source(connection: str, name: str) -> str:
        node = request.source_nodes.get((connection, name))
        if node is not None:
            result.refs.append(node)
            return f"{REF_PREFIX}{node}"
        if connection not in request.connections or not _QUALIFIED.match(name):
            known = did_you_mean(connection, request.connections)
            problems.append(
                Diagnostic(
                    f"source('{connection}', '{name}'): no source node reads it and"
                    f" '{connection}' is not a database connection.{known}",
                    where(rf"source\(\s*['\"]{re.escape(connection)}['\"]"),
                    node=request.node,
                    hint="declare a node with `read: {connection: ..., ...}`, or a duckdb connection",
                )
            )
            return f"{SOURCE_PREFIX}missing__missing"
        result.sources.append((connection, name))
        return f"{SOURCE_PREFIX}{connection}__{name}"

    def var(name: str, default: Any = jinja2.Undefined) -> Any:
        if name in request.vars:
            return request.vars[name]
        if default is not jinja2.Undefined:
            return default
        problems.append(
            Diagnostic(
                f"var('{name}') is not defined.{did_you_mean(name, request.vars)}",
                where(rf"var\(\s*['\"]{re.escape(name)}['\"]"),
                node=request.node,
                hint=f"add it under vars: in odibi_project.yaml, pass --vars '{{{name}: ...}}', or give a default",
            )
        )
        return None

    def env_var(name: str, default: Any = None) -> Any:
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        problems.append(
            Diagnostic(
                f"env_var('{name}'): the environment variable is not set",
                where(rf"env_var\(\s*['\"]{re.escape(name)}['\"]"),
                node=request.node,
                hint=f"export {name}=... or give a default: env_var('{name}', 'value')",
            )
        )
        return ""

    class _Hwm:
        """Renders as the watermark placeholder; records that the SQL uses it."""

        def __str__(self) -> str:
            result.uses_hwm = True
            return HWM

    context = {
        "ref": ref,
        "source": source,
        "var": var,
        "env_var": env_var,
        "is_incremental": lambda: request.incremental,
        "this": THIS,
        "hwm": _Hwm(),
        **dbt_context(request.target, request.node_config, result.config),
    }
    try:
        static = _render_static(template, context)
        if static is not None:
            result.text = static
        else:
            activate(env, context)
            result.text = env.from_string(template).render()
    except CompilerError as exc:
        line = template_line(exc)
        problems.append(
            Diagnostic(
                exc.message, origin.shifted(line - 1, 0) if line else origin, node=request.node, hint=exc.hint
            )
        )
    except jinja2.TemplateSyntaxError as exc:
        problems.append(
            Diagnostic(
                f"Jinja syntax error: {exc.message}",
                origin.shifted((exc.lineno or 1) - 1, 0),
                node=request.node,
            )
        )
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        line = template_line(exc)
        problems.append(
            Diagnostic(
                describe_template_error(exc),
                origin.shifted(line - 1, 0) if line else origin,
                node=request.node,
                hint=UNSAFE_HINT if is_escape(exc) else None,
            )
        )
    if problems:
        raise RenderError(problems)
    return result


_LITERAL = r"""(?:'[^'\\]*'|"[^"\\]*"|-?\d+(?:\.\d+)?)"""
_STATIC_CALL = re.compile(
    r"\{\{\s*(?:(ref|source|var|env_var)\(\s*("
    + _LITERAL
    + r"(?:\s*,\s*"
    + _LITERAL
    + r")*)\s*\)|(this|hwm))\s*\}\}"
)


def _render_static(template: str, context: dict[str, Any]) -> str | None:
    """Render templates made only of ``{{ ref('x') }}``-style calls with literal arguments, without Jinja.

    Most node SQL looks like that; compiling a Jinja template costs ~2 ms, this costs microseconds.
    Anything else (blocks, filters, macros, expressions) returns None and goes through Jinja.
    """
    if "{%" in template or "{#" in template:
        return None
    pieces: list[str] = []
    last = 0
    for match in _STATIC_CALL.finditer(template):
        pieces.append(template[last : match.start()])
        function, args, name = match.groups()
        if name:
            pieces.append(str(context[name]))
        else:
            value = context[function](*ast.literal_eval(f"({args},)"))
            pieces.append(str(value))
        last = match.end()
    pieces.append(template[last:])
    text = "".join(pieces)
    return None if "{{" in text or "}}" in text else text


def _map_line(template: str, rendered: str, line: int) -> int:
    """Rendered line -> template line, aligning the two texts where Jinja added or removed lines."""
    src, out = template.splitlines(), rendered.splitlines()
    if len(src) == len(out):
        return line
    index = line - 1
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=src, b=out, autojunk=False).get_opcodes():
        if j1 <= index < j2:
            return i1 + min(index - j1, max(i2 - i1 - 1, 0)) + 1 if tag != "insert" else i1 + 1
    return min(line, len(src))
