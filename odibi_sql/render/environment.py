"""The Jinja environment: shipped macros (``macros/``) and the project's macros as globals, in the
project sandbox (``project/sandbox.py``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from odibi_sql.diagnostics import Diagnostic, Location, relative
from odibi_sql.project.files import FileProblem, read_text
from odibi_sql.project.sandbox import (
    UNSAFE_HINT,
    describe_template_error,
    is_escape,
    sandbox_environment,
    template_line,
)
from odibi_sql.render.dbt_context import NAMES as DBT_NAMES
from odibi_sql.resources import data_dir


class MacroError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


def build_environment(project_root: Path, project_macros: Iterable[Path]) -> jinja2.Environment:
    """A sandboxed, strict environment whose globals hold every macro, project macros last (they win)."""
    env = sandbox_environment(keep_trailing_newline=True)
    _install_context_proxies(env)
    shipped = sorted(data_dir("macros").glob("*.sql"))
    for path in [*shipped, *project_macros]:
        display = relative(path, project_root) if path.is_relative_to(project_root) else path.name
        template = None
        try:
            template = env.from_string(read_text(path, display))
            module = template.module
        except FileProblem as exc:
            raise MacroError(Diagnostic(exc.message, Location(display, exc.line), hint=exc.hint)) from None
        except jinja2.TemplateSyntaxError as exc:
            raise MacroError(
                Diagnostic(f"macro file does not parse: {exc.message}", Location(display, exc.lineno or 0))
            ) from None
        except (jinja2.TemplateError, RecursionError) as exc:  # top-level code of the macro file
            raise MacroError(
                Diagnostic(
                    describe_template_error(exc),
                    Location(display, template_line(exc, template) or 0),
                    hint=UNSAFE_HINT if is_escape(exc) else None,
                )
            ) from None
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, jinja2.runtime.Macro | jinja2.utils.Namespace):  # a namespace: dbt.<macro>
                env.globals[name] = value
    return env


_CALLABLES = ("ref", "source", "var", "env_var", "is_incremental")
_VALUES = ("this", "hwm")


def activate(env: jinja2.Environment, context: dict) -> None:
    """Make ``context`` the one that templates and already-built macros see."""
    env.odibi_active = context  # type: ignore[attr-defined]


def _install_context_proxies(env: jinja2.Environment) -> None:
    """Macro modules snapshot globals when built; proxies let them reach each render's context."""
    activate(env, {})
    for name in _CALLABLES:
        env.globals[name] = _CallProxy(env, name)
    for name in _VALUES:
        env.globals[name] = _ValueProxy(env, name)
    for name in DBT_NAMES:
        env.globals[name] = _ObjectProxy(env, name)


class _CallProxy:
    def __init__(self, env: jinja2.Environment, name: str):
        self._env, self._name = env, name

    def __call__(self, *args, **kwargs):
        return self._env.odibi_active[self._name](*args, **kwargs)  # type: ignore[attr-defined]


class _ValueProxy:
    def __init__(self, env: jinja2.Environment, name: str):
        self._env, self._name = env, name

    def __str__(self) -> str:
        return str(self._env.odibi_active[self._name])  # type: ignore[attr-defined]


class _ObjectProxy(_ValueProxy):
    """A dbt context value (``target``, ``config``, ``exceptions``, ...): attributes, items, calls
    and truth go to the active render's value."""

    def _value(self) -> Any:
        return self._env.odibi_active[self._name]  # type: ignore[attr-defined]

    def __getattr__(self, attr: str) -> Any:
        value = self._value()
        if isinstance(value, Mapping):
            if attr in value:
                return value[attr]
            raise AttributeError(attr)
        return getattr(value, attr)

    def __getitem__(self, key: Any) -> Any:
        return self._value()[key]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._value()(*args, **kwargs)

    def __bool__(self) -> bool:
        return bool(self._value())
