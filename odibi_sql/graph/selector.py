"""Node selection with dbt's grammar: ``--select`` / ``--exclude`` text -> criteria -> set algebra.

In: ``SelectableNode`` values by name, the ``DAG``, the CLI values and, for ``state:``, the
checksums of a previous manifest. Out: the selected names in topological order.

Grammar, per CLI value::

    value  := term (" " term)*          union
    term   := part ("," part)*          intersection
    part   := ["@"] [[N] "+"] [method ":"] pattern ["+" [N]]

``method`` is one of ``SelectorMethod`` or ``config.<dotted key>``; without it the pattern is a
node name (shell wildcards allowed) or, when it looks like a file or folder, a path.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from odibi_sql.diagnostics import did_you_mean
from odibi_sql.graph.dag import DAG
from odibi_sql.graph.methods import (
    MATCHERS,
    RESOURCE_TYPES,
    MatchContext,
    SelectableNode,
    SelectorError,
    SelectorMethod,
    StateValue,
    default_method,
)

__all__ = ["SelectableNode", "SelectionCriteria", "SelectorError", "parse_selector", "select_nodes"]

_PART = re.compile(
    r"^(?P<at>@)?(?:(?P<up_depth>\d*)(?P<up>\+))?(?P<body>.*?)(?:(?P<down>\+)(?P<down_depth>\d*))?$"
)
log = logging.getLogger("odibi_sql.selection")
"""Selectors that match nothing are reported here (as dbt warns); the CLI shows them."""
_METHOD_NAMES = [m.value for m in SelectorMethod]
_METHOD_HINT = "use one of: name, tag, path, pipeline, config.<key>, resource_type, state"
_DEPTH_HINT = "write a whole number next to '+', e.g. '2+clean_orders' or 'clean_orders+1'"


@dataclass(frozen=True)
class SelectionCriteria:
    """One comma-separated part of a selector, parsed.

    ``parents``/``children`` say whether ``+`` was written on that side; the depth is ``None``
    for "all generations". ``childrens_parents`` is ``@``.
    """

    raw: str
    method: SelectorMethod
    value: str
    key: str = ""
    parents: bool = False
    parents_depth: int | None = None
    children: bool = False
    children_depth: int | None = None
    childrens_parents: bool = False


def select_nodes(
    nodes: Mapping[str, SelectableNode],
    dag: DAG,
    select: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    previous: Mapping[str, str] | None = None,
) -> list[str]:
    """Names selected by ``select`` minus ``exclude``, in ``dag.order``.

    ``select`` empty or ``None`` selects every node. Raises ``SelectorError`` on text that
    cannot be parsed, before anything is matched. A valid selector that matches nothing
    returns an empty list.
    """
    includes = _parse_values(select or (), "--select", nodes, previous)
    excludes = _parse_values(exclude or (), "--exclude", nodes, previous)
    ctx = MatchContext(nodes, previous)
    chosen = set(nodes) if not includes else _union(ctx, dag, includes)
    for term in includes:
        _warn_if_unmatched(ctx, term, "--select")
    chosen -= _union(ctx, dag, excludes)
    chosen &= nodes.keys()
    rank = {name: i for i, name in enumerate(dag.order)}
    return sorted(chosen, key=lambda name: (rank.get(name, len(rank)), name))


def parse_selector(text: str, option: str = "--select") -> list[list[SelectionCriteria]]:
    """Parse one CLI value into terms (union) of parts (intersection)."""
    terms: list[list[SelectionCriteria]] = []
    for term in text.split():
        parts = term.split(",")
        if any(not part for part in parts):
            raise SelectorError(
                "empty part between commas", term, option, "remove the extra ',' (comma means 'and')"
            )
        terms.append([_parse_part(part, option) for part in parts])
    return terms


def _parse_values(
    values: Iterable[str],
    option: str,
    nodes: Mapping[str, SelectableNode],
    previous: Mapping[str, str] | None,
) -> list[list[SelectionCriteria]]:
    terms = [term for value in values for term in parse_selector(value, option)]
    known_types = sorted(set(RESOURCE_TYPES) | {n.resource_type for n in nodes.values()})
    for criteria in (c for term in terms for c in term):
        _validate(criteria, option, known_types, previous)
    return terms


def _parse_part(part: str, option: str) -> SelectionCriteria:
    match = _PART.match(part)
    assert match is not None  # every string matches: all groups are optional
    body = match["body"]
    if "+" in body:
        raise SelectorError(f"malformed graph operator in '{body}'", part, option, _DEPTH_HINT)
    if "@" in body:
        raise SelectorError("'@' must come first, e.g. '@clean_orders'", part, option)
    if match["at"] and match["up"]:
        raise SelectorError(
            "'@' cannot be combined with '+' on the left",
            part,
            option,
            "'@x' already selects the ancestors of everything downstream of x; drop the '+'",
        )
    method, key, value = _split_method(body, part, option)
    return SelectionCriteria(
        raw=part,
        method=method,
        key=key,
        value=value,
        parents=bool(match["up"]),
        parents_depth=int(match["up_depth"]) if match["up_depth"] else None,
        children=bool(match["down"]),
        children_depth=int(match["down_depth"]) if match["down_depth"] else None,
        childrens_parents=bool(match["at"]),
    )


def _split_method(body: str, part: str, option: str) -> tuple[SelectorMethod, str, str]:
    if ":" not in body:
        if not body:
            raise SelectorError("nothing to select: the value is empty", part, option)
        return default_method(body), "", body
    name, value = body.split(":", 1)
    base, _, key = name.partition(".")
    if base == SelectorMethod.CONFIG and key:
        method = SelectorMethod.CONFIG
    elif base == SelectorMethod.CONFIG:
        raise SelectorError(
            "'config' needs a key", part, option, "write config.<key>:<value>, e.g. config.materialized:view"
        )
    elif name in _METHOD_NAMES:
        method, key = SelectorMethod(name), ""
    else:
        what = f"unknown selector method '{name}'." if name else "missing selector method before ':'."
        candidates = [*_METHOD_NAMES, f"config.{key or name}"]
        raise SelectorError(what + did_you_mean(name, candidates), part, option, _METHOD_HINT)
    if not value:
        raise SelectorError(f"empty value for method '{name}'", part, option, f"write {name}:<value>")
    return method, key, value


def _validate(
    criteria: SelectionCriteria,
    option: str,
    known_types: list[str],
    previous: Mapping[str, str] | None,
) -> None:
    """Checks that need more than the text: known values, and a previous manifest for ``state:``."""
    if criteria.method is SelectorMethod.STATE:
        choices = [s.value for s in StateValue]
        if criteria.value not in choices:
            raise SelectorError(
                f"unknown state '{criteria.value}'.{did_you_mean(criteria.value, choices)}",
                criteria.raw,
                option,
                "use state:modified or state:new",
            )
        if previous is None:
            raise SelectorError(
                f"state:{criteria.value} compares with a previous run, but no state was given",
                criteria.raw,
                option,
                "pass --state DIR with the target/ of a previous run (the folder holding its manifest.json)",
            )
    if criteria.method is SelectorMethod.RESOURCE_TYPE and criteria.value not in known_types:
        raise SelectorError(
            f"unknown resource type '{criteria.value}'.{did_you_mean(criteria.value, known_types)}",
            criteria.raw,
            option,
            f"use one of: {', '.join(known_types)}",
        )


def _union(ctx: MatchContext, dag: DAG, terms: list[list[SelectionCriteria]]) -> set[str]:
    chosen: set[str] = set()
    for term in terms:
        sets = [_evaluate(ctx, dag, criteria) for criteria in term]
        chosen |= set.intersection(*sets)
    return chosen


def _warn_if_unmatched(ctx: MatchContext, term: list[SelectionCriteria], option: str) -> None:
    """dbt's warning for a selector that matches nothing, with a did-you-mean for names."""
    for criteria in term:
        if MATCHERS[criteria.method](ctx, criteria.key, criteria.value):
            continue
        hint = ""
        if criteria.method is SelectorMethod.NAME:
            hint = did_you_mean(criteria.value, ctx.nodes)
        elif criteria.method is SelectorMethod.TAG:
            hint = did_you_mean(criteria.value, {t for n in ctx.nodes.values() for t in n.tags})
        elif criteria.method is SelectorMethod.PIPELINE:
            hint = did_you_mean(criteria.value, {n.pipeline for n in ctx.nodes.values()})
        log.warning("%s '%s' does not match any node.%s", option, criteria.raw, hint)


def _evaluate(ctx: MatchContext, dag: DAG, criteria: SelectionCriteria) -> set[str]:
    """The part's method matches, then its graph operators widen them."""
    matched = MATCHERS[criteria.method](ctx, criteria.key, criteria.value)
    chosen = set(matched)
    if criteria.childrens_parents:
        downstream = matched | _reach(dag.children, matched, None)
        chosen |= downstream | _reach(dag.parents, downstream, None)
    if criteria.parents:
        chosen |= _reach(dag.parents, matched, criteria.parents_depth)
    if criteria.children:
        chosen |= _reach(dag.children, matched, criteria.children_depth)
    return chosen


def _reach(links: Mapping[str, frozenset[str]], starts: set[str], depth: int | None) -> set[str]:
    """Nodes within ``depth`` hops of any start (all hops when ``None``); starts excluded unless reached."""
    seen: set[str] = set()
    frontier = set(starts)
    hops = 0
    while frontier and (depth is None or hops < depth):
        frontier = {n for f in frontier for n in links.get(f, ())} - seen
        seen |= frontier
        hops += 1
    return seen
