"""Apply a node's ``transform:`` steps: one CTE per step, named after it, in one readable statement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlglot import exp

from odibi_sql.compile.qualify import ColumnTypes, Schemas, qualify_query
from odibi_sql.diagnostics import Diagnostic, did_you_mean
from odibi_sql.project.loader import NodeDef
from odibi_sql.render.context import RenderError
from odibi_sql.render.settings import SettingRenderer, render_strings
from odibi_sql.transforms.base import TransformContext, TransformError
from odibi_sql.transforms.registry import available, get_transform

BASE_CTE = "base"


class ChainError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("; ".join(d.message for d in diagnostics))


def validate_steps(node: NodeDef, render: SettingRenderer | None = None) -> list[Diagnostic]:
    """Check step names and parameters without building anything (all problems at once)."""
    problems: list[Diagnostic] = []
    for i, step in enumerate(node.spec.transform):
        _, problem = _instantiate(node, i, step, render)
        if problem:
            problems.extend(problem)
    return problems


def apply_steps(
    node: NodeDef,
    base: exp.Query,
    base_columns: ColumnTypes,
    relations: Schemas,
    dialect: str,
    resolve_ref: Callable[[str], tuple[exp.Table, ColumnTypes]],
    render: SettingRenderer | None = None,
) -> exp.Query:
    """``WITH base AS (<base>), <step> AS (...), ... SELECT * FROM <last step>``; ``render``
    renders the Jinja in the steps' parameters."""
    if not node.spec.transform:
        return base
    ctes: list[tuple[str, exp.Query]] = [(BASE_CTE, base)]
    previous, columns = BASE_CTE, dict(base_columns)
    used = {BASE_CTE}
    for i, step in enumerate(node.spec.transform):
        transform, problems = _instantiate(node, i, step, render)
        if problems:
            raise ChainError(problems)
        name = _unique(transform.name, used)
        ctx = TransformContext(
            relation=previous, columns=columns, step=name, dialect=dialect, resolve_ref=resolve_ref
        )
        where = node.locate("transform", i)
        try:
            query = transform.apply(ctx)
        except TransformError as exc:
            raise ChainError(
                [Diagnostic(f"{transform.name}: {exc.message}", where, node=node.name, hint=exc.hint)]
            ) from None
        stub = _stub_relation(columns)
        alias = exp.to_identifier(previous, quoted=True)  # a step name may be a keyword: join, union
        checked = qualify_query(query.copy().with_(alias, as_=stub), relations, dialect)
        if checked.problems:
            raise ChainError(
                [
                    Diagnostic(f"{transform.name}: {p.message}", where, node=node.name, hint=p.hint)
                    for p in checked.problems
                ]
            )
        ctes.append((name, query))
        previous, columns = name, checked.columns
    final = exp.select(exp.Star()).from_(exp.table_(previous, quoted=True))
    for name, query in ctes:
        final = final.with_(exp.to_identifier(name, quoted=True), as_=query, copy=False)
    return final


def _instantiate(node: NodeDef, index: int, step: Any, render: SettingRenderer | None = None):
    where = node.locate("transform", index)
    if not isinstance(step, dict) or len(step) != 1:
        return None, [
            Diagnostic(
                "a transform step is a mapping with one key, the transform's name",
                where,
                node=node.name,
                hint='e.g. `- filter_rows: {condition: "amount > 0"}`',
            )
        ]
    ((name, params),) = step.items()
    cls = get_transform(name)
    if cls is None:
        return None, [
            Diagnostic(
                f"unknown transform '{name}'.{did_you_mean(name, available())}",
                where,
                node=node.name,
                hint="see docs/transforms.md for the standard library",
            )
        ]
    if render is not None:
        try:
            params = render_strings(
                params,
                lambda text, path: render(text, node.locate("transform", index, name, *path), name),
            )
        except RenderError as exc:
            return None, exc.diagnostics
    try:
        return cls.model_validate(params or {}), []
    except ValidationError as exc:
        return None, [_param_problem(node, index, name, cls, err) for err in exc.errors()]


def _param_problem(node: NodeDef, index: int, name: str, cls, err: dict) -> Diagnostic:
    loc = tuple(err["loc"])
    where = node.locate("transform", index, name, *loc)
    dotted = ".".join(str(p) for p in loc)
    if err["type"] == "extra_forbidden":
        key = str(loc[-1])
        fields = [f.alias or n for n, f in cls.model_fields.items()]
        return Diagnostic(
            f"{name}: unknown parameter '{key}'.{did_you_mean(key, fields)}",
            where,
            node=node.name,
            hint=f"parameters of {name}: {', '.join(fields)}",
        )
    if err["type"] == "missing":
        return Diagnostic(f"{name}: missing parameter '{dotted}'", where, node=node.name)
    return Diagnostic(
        f"{name}: {dotted + ': ' if dotted else ''}{err['msg'].removeprefix('Value error, ')}",
        where,
        node=node.name,
    )


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name}_{n}"
    used.add(candidate)
    return candidate


def _stub_relation(columns: ColumnTypes) -> exp.Select:
    """A zero-row relation with the given columns, so a step can be checked on its own; a column
    of unknown type stays untyped (a bare NULL), so the next step does not take it for text."""
    return exp.select(
        *(
            (exp.cast(exp.null(), t, dialect="duckdb") if t else exp.null()).as_(c, quoted=True)
            for c, t in columns.items()
        )
    ).where(exp.false())
