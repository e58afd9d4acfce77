"""Transforms register by module name and load lazily: ``transforms/<yaml_name>.py`` defines ``TRANSFORM``."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path

from odibi_sql.transforms.base import Transform

_NOT_TRANSFORMS = {"base", "registry"}


@cache
def available() -> tuple[str, ...]:
    """Names of every standard transform, sorted."""
    here = Path(__file__).parent
    return tuple(
        sorted(
            m.name
            for m in pkgutil.iter_modules([str(here)])
            if m.name not in _NOT_TRANSFORMS and not m.name.startswith("_")
        )
    )


@cache
def get_transform(name: str) -> type[Transform] | None:
    """The transform class for a YAML key, or None when there is no such transform."""
    if name not in available():
        return None
    module = importlib.import_module(f"odibi_sql.transforms.{name}")
    return module.TRANSFORM
