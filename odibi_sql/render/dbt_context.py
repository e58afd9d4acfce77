"""dbt's Jinja context where it makes sense for a compiler: ``target``, ``config()``, ``log``,
``exceptions``, ``modules`` and ``execute``; ``adapter``, ``run_query`` and ``statement`` results
refuse with the reason.

Every value is a plain dict, a small object with public methods, or a curated namespace (never a
Python module: a module's attributes reach ``sys``), so the context works in jinja2's sandbox.
``dbt_context(...)`` gives the names to merge into a render's context.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import re
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import pytz

from odibi_sql.project.config import DuckDBTarget
from odibi_sql.project.loader import Project

log = logging.getLogger("odibi_sql.jinja")
"""Where ``{{ log(msg) }}`` goes: ``info=True`` at INFO (shown by the CLI), else DEBUG (``--debug``)."""

NAMES = ("target", "config", "log", "exceptions", "modules", "execute", "adapter", "run_query")
"""The names this context adds."""

UNSUPPORTED_HINT = (
    "odibi-sql compiles a project without a database connection, so a template cannot query the "
    "warehouse; declare the columns or values in YAML (vars, columns:) or compute them in SQL"
)


class CompilerError(Exception):
    """``exceptions.raise_compiler_error(msg)``, or use of what compile time cannot offer."""

    def __init__(self, message: str, hint: str | None = None):
        self.message, self.hint = message, hint
        super().__init__(message)


def target_values(project: Project) -> dict[str, Any]:
    """``target`` as dbt shows it: name, type, schema, database, threads, profile_name (+ path for DuckDB)."""
    target = project.target
    values: dict[str, Any] = {
        "name": project.target_name,
        "target_name": project.target_name,
        "type": target.dialect,
        "threads": target.threads,
        "profile_name": project.config.name,
    }
    if isinstance(target, DuckDBTarget):
        path = target.path
        database = "memory" if path == ":memory:" else path.rsplit("/", 1)[-1].split(".")[0]
        values.update(schema="main", database=database, path=path)
    else:
        values.update(schema="default", database="spark_catalog")
    return values


class Config:
    """``config(...)`` records dbt-style settings (rendering nothing); ``config.get``/``require`` read
    them, then the node's own settings."""

    def __init__(self, node_config: Mapping[str, Any], recorded: dict[str, Any]):
        self._node, self._recorded = node_config, recorded

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        if args and isinstance(args[0], Mapping):
            kwargs = {**args[0], **kwargs}
        elif args:
            raise CompilerError("config() takes keyword arguments, e.g. config(materialized='table')")
        self._recorded.update(kwargs)
        return ""

    def get(self, name: str, default: Any = None) -> Any:
        if name in self._recorded:
            return self._recorded[name]
        return self._node.get(name, default)

    def require(self, name: str) -> Any:
        value = self.get(name)
        if value is None:
            raise CompilerError(f"config '{name}' is required but not set")
        return value


class Exceptions:
    """dbt's ``exceptions`` namespace: ``raise_compiler_error`` fails the compile, ``warn`` logs."""

    def raise_compiler_error(self, message: str, node: Any = None) -> None:
        raise CompilerError(str(message))

    def warn(self, message: str, node: Any = None) -> str:
        log.warning("%s", message)
        return ""


_JINJA_PROBES = frozenset({"jinja_pass_arg", "unsafe_callable", "alters_data"})
"""Attributes Jinja itself looks up on a value before calling it."""


class Unsupported:
    """A dbt name that needs a live database (``adapter``, ``run_query``): any use raises with why."""

    def __init__(self, name: str):
        self._name = name

    def _refuse(self, what: str) -> CompilerError:
        return CompilerError(
            f"{what} is not supported: it queries the database while compiling", UNSUPPORTED_HINT
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self._refuse(f"{self._name}()")

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_") or attr in _JINJA_PROBES:
            raise AttributeError(attr)
        raise self._refuse(f"{self._name}.{attr}")

    def __str__(self) -> str:
        raise self._refuse(self._name)


def _log(message: Any, info: bool = False) -> str:
    log.log(logging.INFO if info else logging.DEBUG, "%s", message)
    return ""


MODULES = SimpleNamespace(
    datetime=SimpleNamespace(
        datetime=datetime.datetime,
        date=datetime.date,
        time=datetime.time,
        timedelta=datetime.timedelta,
        timezone=datetime.timezone,
        MINYEAR=datetime.MINYEAR,
        MAXYEAR=datetime.MAXYEAR,
    ),
    re=SimpleNamespace(
        **{
            name: getattr(re, name)
            for name in (
                "compile",
                "search",
                "match",
                "fullmatch",
                "split",
                "findall",
                "finditer",
                "sub",
                "subn",
                "escape",
                "IGNORECASE",
                "I",
                "MULTILINE",
                "M",
                "DOTALL",
                "S",
                "VERBOSE",
                "X",
            )
        }  # fmt: skip
    ),
    pytz=SimpleNamespace(timezone=pytz.timezone, utc=pytz.utc, all_timezones=pytz.all_timezones),
    itertools=SimpleNamespace(
        **{
            name: getattr(itertools, name)
            for name in ("chain", "product", "permutations", "combinations", "groupby", "islice", "count")
        }
    ),
)
"""``modules``: the parts of datetime, re, pytz and itertools dbt projects use."""


def dbt_context(
    target: Mapping[str, Any], node_config: Mapping[str, Any], recorded: dict[str, Any]
) -> dict[str, Any]:
    """The dbt names for one render; ``config(...)`` calls land in ``recorded``."""
    return {
        "target": dict(target),
        "config": Config(node_config, recorded),
        "log": _log,
        "exceptions": Exceptions(),
        "modules": MODULES,
        "execute": True,
        "adapter": Unsupported("adapter"),
        "run_query": Unsupported("run_query"),
    }
