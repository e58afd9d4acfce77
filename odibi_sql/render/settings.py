"""Render the SQL strings of YAML settings (test ``expression`` and ``where``, transform
parameters) with the node's Jinja context, as its ``sql:`` is rendered.

``var``, ``env_var``, ``is_incremental`` and the project's macros work as in the node's SQL.
``ref``/``source``/``this``/``hwm`` name relations the compiler resolves in the node's SQL only,
so a setting that uses them is an error naming the setting.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jinja2

from odibi_sql.diagnostics import Diagnostic, Location
from odibi_sql.project.loader import Project
from odibi_sql.render.context import HWM, THIS, RenderError, RenderRequest, render_sql
from odibi_sql.render.dbt_context import target_values
from odibi_sql.render.environment import build_environment

SettingRenderer = Callable[[str, Location, str], str]
"""``(text, where it is written, what it is) -> rendered text``; raises ``RenderError``."""


def project_request(project: Project, node: str = "") -> RenderRequest:
    """What rendering ``node``'s SQL needs to know about ``project``."""
    sources = {
        (n.spec.read.connection, n.spec.read.table or n.name): n.name
        for n in project.nodes.values()
        if n.spec.read is not None
    }
    sources.update(project.source_aliases)
    return RenderRequest(
        node=node,
        node_names=frozenset(project.nodes),
        source_nodes=sources,
        connections=frozenset(project.config.connections),
        vars=project.vars,
        package=project.config.name,
        target=target_values(project),
    )


def setting_renderer(project: Project, node: str, env: jinja2.Environment | None = None) -> SettingRenderer:
    """Renders ``node``'s settings; builds the project's Jinja environment when none is given."""
    if env is None:
        env = build_environment(project.root, project.macro_files)
    return functools.partial(render_setting, env, project_request(project, node))


def render_setting(
    env: jinja2.Environment, request: RenderRequest, text: str, origin: Location, what: str
) -> str:
    """The rendered ``text`` of one setting of ``request.node`` (unchanged when it has no Jinja)."""
    if "{" not in text:
        return text
    rendered = render_sql(env, text, origin, request)
    if (
        rendered.refs
        or rendered.sources
        or rendered.uses_hwm
        or THIS in rendered.text
        or HWM in rendered.text
    ):
        raise RenderError(
            [
                Diagnostic(
                    f"{what}: ref(), source(), this and hwm work in the node's sql only",
                    origin,
                    node=request.node,
                    hint="read the relation in the node's sql (or a join transform), then refer to its columns",
                )
            ]
        )
    return rendered.text


def render_strings(value: Any, render: Callable[[str, tuple[str | int, ...]], str], path=()) -> Any:
    """``value`` (YAML: mappings, lists, scalars) with every string rendered; ``path`` locates it."""
    if isinstance(value, str):
        return render(value, path)
    if isinstance(value, dict):
        return {k: render_strings(v, render, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [render_strings(v, render, (*path, i)) for i, v in enumerate(value)]
    return value
