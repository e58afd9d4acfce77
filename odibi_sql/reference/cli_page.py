"""docs/reference/cli.md: every command and option, read from the typer app's command tree."""

from __future__ import annotations

import inspect
import typing
from enum import Enum
from pathlib import Path
from typing import Any

import typer.main

from odibi_sql.cli.app import build_app
from odibi_sql.reference.markdown import GENERATED, table

PATH = "reference/cli.md"


def render() -> str:
    root = typer.main.get_command(build_app())
    ctx = typer.Context(root, info_name="odibi-sql")  # type: ignore[arg-type]
    names = root.list_commands(ctx)
    commands = [root.get_command(ctx, name) for name in names]
    out = [
        GENERATED,
        "",
        "# Command line",
        "",
        _help(root.help),
        "",
        "```",
        "odibi-sql [--debug] [--version] COMMAND [ARGS]...",
        "```",
        "",
        _params_table(root.params),
        "",
        "Exit codes: **0** success; **1** a node, test or lint rule failed; **2** the project or the",
        "command line is invalid (the message names the file, line and fix; nothing is written).",
        "Every command that reads a project takes `--project-dir DIR` (default: the current folder).",
        "",
        table(
            ["command", "what it does"],
            [
                [f"[`{n}`](#odibi-sql-{n})", _first_sentence(c.help)]
                for n, c in zip(names, commands, strict=True)
            ],
        ),
    ]
    for name, command in zip(names, commands, strict=True):
        usage = _usage(command.params)
        out += [
            "",
            f"## odibi-sql {name}",
            "",
            _help(command.help),
            "",
            "```",
            f"odibi-sql {name} {usage}",
            "```",
        ]
        if command.params:
            out += ["", _params_table(command.params)]
    return "\n".join(out) + "\n"


def _usage(params: list[Any]) -> str:
    arguments = [p for p in params if p.param_type_name == "argument"]
    pieces = ["[OPTIONS]"] if len(arguments) < len(params) else []
    pieces += [p.name.upper() if p.required else f"[{p.name.upper()}]" for p in arguments]
    return " ".join(pieces)


def _params_table(params: list[Any]) -> str:
    rows = []
    for param in params:
        if getattr(param, "hidden", False):
            continue
        is_argument = param.param_type_name == "argument"
        name = param.name.upper() if is_argument else ", ".join(f"`{o}`" for o in param.opts)
        rows.append([f"`{name}`" if is_argument else name, _value(param), _default(param), param.help or ""])
    return table(["argument / option", "value", "default", "description"], rows)


def _value(param: Any) -> str:
    annotation = _annotation(param)
    if annotation is bool:
        return "flag"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return " | ".join(str(m.value) for m in annotation)
    if typing.get_origin(annotation) is list:
        return "TEXT, repeatable"
    if annotation is int:
        minimum = getattr(param, "min", None)
        return f"integer ≥ {minimum}" if minimum is not None else "integer"
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return "PATH"
    return "TEXT"


def _annotation(param: Any) -> Any:
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    if annotation is None and getattr(param, "is_flag", False):
        return bool
    return annotation


def _default(param: Any) -> str:
    if param.required:
        return "required"
    default = param.default
    if default is None or default is False or default == [] or not getattr(param, "show_default", True):
        return ""
    if isinstance(default, Enum):
        default = default.value
    return f"`{default}`"


def _help(text: str | None) -> str:
    return inspect.cleandoc(text or "")


def _first_sentence(text: str | None) -> str:
    one_line = " ".join(_help(text).split())
    head, dot, _ = one_line.partition(". ")
    return head + ("." if dot else "")
