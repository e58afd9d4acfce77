"""Turn pydantic validation errors into located diagnostics with "did you mean" for unknown keys."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from odibi_sql.diagnostics import Diagnostic, did_you_mean
from odibi_sql.project.yaml_loader import LocatedDocument


def validate(
    model: type[BaseModel], doc: LocatedDocument, data: Any = None, base: tuple = ()
) -> tuple[Any, list[Diagnostic]]:
    """Validate ``data`` (default: the whole document) found at ``base`` in ``doc``."""
    data = doc.data if data is None else data
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_diagnostic(model, doc, data, base, err) for err in exc.errors()]


def _diagnostic(
    model: type[BaseModel], doc: LocatedDocument, data: Any, base: tuple, err: dict
) -> Diagnostic:
    loc = tuple(err["loc"])
    path = _data_path(data, loc)
    dotted = ".".join(str(p) for p in path) or "(document)"
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        allowed = field_names_at(model, loc[:-1])
        location = doc.positions.get((*base, *path, "__key__")) or doc.locate((*base, *path))
        where = ".".join(str(p) for p in path[:-1])
        return Diagnostic(
            f"unknown key '{key}'" + (f" in {where}" if where else "") + "." + did_you_mean(key, allowed),
            location,
            hint=f"allowed keys: {', '.join(sorted(allowed))}" if allowed else "remove the key",
        )
    if kind == "missing":
        return Diagnostic(
            f"missing required key '{loc[-1]}' in {dotted.rsplit('.', 1)[0] if len(path) > 1 else 'this block'}",
            doc.locate((*base, *path)),
            hint=f"add '{loc[-1]}: ...'",
        )
    if kind == "string_pattern_mismatch":
        return Diagnostic(
            f"{dotted}: {err['input']!r} is not a valid name",
            doc.locate((*base, *path)),
            hint="use letters, digits and underscores, starting with a letter or _"
            + (" (`table` or `schema.table`)" if path and path[-1] == "table" else ""),
        )
    message = err["msg"].removeprefix("Value error, ")
    return Diagnostic(f"{dotted}: {message}", doc.locate((*base, *path)))


def _data_path(data: Any, loc: tuple) -> tuple:
    """Pydantic locations include union tags; keep only the parts that exist in the data."""
    path: list = []
    current = data
    for i, part in enumerate(loc):
        if (
            isinstance(current, dict)
            and part in current
            or isinstance(current, list)
            and isinstance(part, int)
            and part < len(current)
        ):
            current = current[part]
            path.append(part)
        elif isinstance(current, dict) and i < len(loc) - 1:
            continue  # a union tag such as targets.dev.<duckdb>.path
        elif isinstance(current, dict | list):
            path.append(part)  # a missing or extra key: keep it as the last segment
            current = None
    return tuple(path)


def field_names_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the model accepts at ``loc`` (following lists, dicts and tagged unions)."""
    annotation: Any = model
    parts = list(loc)
    while parts:
        annotation = _unwrap(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(parts.pop(0))
            if field is None:
                return []
            annotation = field.annotation
        elif origin in (list, tuple):
            parts.pop(0)
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            parts.pop(0)
            annotation = typing.get_args(annotation)[1]
        elif origin in (typing.Union, types.UnionType):
            tag = parts.pop(0)
            annotation = _union_member(annotation, tag)
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
    return annotation


def _union_member(annotation: Any, tag: Any) -> Any:
    for member in typing.get_args(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            for field in member.model_fields.values():
                if typing.get_origin(field.annotation) is typing.Literal and tag in typing.get_args(
                    field.annotation
                ):
                    return member
    return None
