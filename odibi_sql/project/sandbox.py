"""The one Jinja environment class for every template a project supplies: SQL files, macros, YAML values.

A project is untrusted input, so its templates render in jinja2's sandbox: attributes starting
with ``_`` (``cycler.__init__.__globals__``), functions' internals and unsafe methods cannot be
reached, and string or list products and powers are bounded so a template cannot exhaust memory.
"""

from __future__ import annotations

import traceback
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

MAX_TEMPLATE_VALUE = 10_000_000
"""Longest string or list a ``*`` in a template may build (items or characters)."""

MAX_EXPONENT = 1_000
"""Largest exponent a ``**`` in a template may use."""

MAX_INT_BITS = 100_000
"""Largest integer (in bits) a ``*`` or ``**`` in a template may build."""


class TemplateLimitError(jinja2.TemplateError):
    """A template asked for more than the limits allow."""


class ProjectSandbox(SandboxedEnvironment):
    """Strict, sandboxed, bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise TemplateLimitError(f"exponent {right} is larger than {MAX_EXPONENT}")
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and abs(left).bit_length() * abs(right) > MAX_INT_BITS
            ):
                raise TemplateLimitError(f"the power has more than {MAX_INT_BITS:,} bits")
            return left**right
        if isinstance(left, int) and isinstance(right, int):
            if abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
                raise TemplateLimitError(f"the product has more than {MAX_INT_BITS:,} bits")
            return left * right
        for sequence, count in ((left, right), (right, left)):
            size = len(sequence) * count if isinstance(sequence, str | list | tuple) else 0
            if isinstance(count, int) and size > MAX_TEMPLATE_VALUE:
                raise TemplateLimitError(
                    f"a repeated value of {size:,} items is longer than {MAX_TEMPLATE_VALUE:,}"
                )
        return left * right


def sandbox_environment(**options: Any) -> ProjectSandbox:
    """A sandboxed environment where undefined names raise."""
    return ProjectSandbox(undefined=jinja2.StrictUndefined, autoescape=False, **options)


UNSAFE_HINT = (
    "templates may call ref, source, var, env_var, macros and Jinja's filters and tests; "
    "attributes starting with '_' and the internals of functions and classes are not available"
)


def describe_template_error(exc: Exception) -> str:
    """What went wrong in a template, in the words a project author needs."""
    if is_escape(exc):
        return (
            f"the template tried to reach an unsafe attribute: {str(exc).rstrip('.')}; nothing was executed"
        )
    if isinstance(exc, TemplateLimitError):
        return f"the template exceeds a limit: {exc}"
    if isinstance(exc, RecursionError):
        return "the template recurses too deeply (a macro that calls itself without end?)"
    return f"Jinja error: {exc}"


def is_escape(exc: BaseException) -> bool:
    """Whether ``exc`` is a template reaching for what the sandbox keeps away."""
    return isinstance(exc, jinja2.exceptions.SecurityError) or _private_attribute(exc)


def _private_attribute(exc: BaseException) -> bool:
    """An undefined attribute starting with ``_``: what the sandbox hid (``x|attr('__init__')``)."""
    return isinstance(exc, jinja2.UndefinedError) and "has no attribute '_" in str(exc)


def template_line(exc: BaseException, unmapped: jinja2.Template | None = None) -> int | None:
    """The line of the template being rendered when ``exc`` was raised (for an error inside a macro,
    the line that called it). ``render`` maps Jinja's
    frames to template lines; building a module (``unmapped.module``) does not, so it is mapped here."""
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == "<template>":  # the outermost: a macro's caller, not the macro
            return unmapped.get_corresponding_lineno(lineno) if unmapped is not None else lineno
    return None
