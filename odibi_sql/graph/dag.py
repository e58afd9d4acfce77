"""The node graph: parents/children maps, topological order, cycle paths."""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class CycleError(Exception):
    """The graph has a cycle; ``path`` lists it, first node repeated at the end."""

    def __init__(self, path: list[str]):
        self.path = path
        super().__init__(" -> ".join(path))


@dataclass(frozen=True)
class DAG:
    """Directed acyclic graph of node names. ``parents[n]`` are the nodes ``n`` reads from."""

    parents: Mapping[str, frozenset[str]]
    children: Mapping[str, frozenset[str]]
    order: tuple[str, ...]

    @classmethod
    def build(cls, edges: Mapping[str, Iterable[str]]) -> DAG:
        """Build from ``{node: upstream nodes}``; raises ``CycleError`` with the cycle's path."""
        parents = {name: frozenset(ups) for name, ups in edges.items()}
        children: dict[str, set[str]] = {name: set() for name in parents}
        for name, ups in parents.items():
            for up in ups:
                children.setdefault(up, set()).add(name)
        sorter = graphlib.TopologicalSorter({n: sorted(p) for n, p in sorted(parents.items())})
        try:
            order = tuple(sorter.static_order())
        except graphlib.CycleError as exc:
            raise CycleError(_cycle_path(exc.args[1])) from None
        return cls(parents, {n: frozenset(c) for n, c in children.items()}, order)

    def ancestors(self, name: str, depth: int | None = None) -> set[str]:
        return _walk(self.parents, name, depth)

    def descendants(self, name: str, depth: int | None = None) -> set[str]:
        return _walk(self.children, name, depth)

    def layers(self, names: Iterable[str] | None = None) -> list[list[str]]:
        """Groups of nodes that can run together, in dependency order (restricted to ``names``)."""
        keep = set(self.order if names is None else names)
        sorter = graphlib.TopologicalSorter({n: self.parents.get(n, frozenset()) & keep for n in keep})
        sorter.prepare()
        out: list[list[str]] = []
        while sorter.is_active():
            ready = sorted(sorter.get_ready())
            out.append(ready)
            sorter.done(*ready)
        return out


def _walk(links: Mapping[str, frozenset[str]], start: str, depth: int | None) -> set[str]:
    seen: set[str] = set()
    frontier = {start}
    level = 0
    while frontier and (depth is None or level < depth):
        frontier = {n for f in frontier for n in links.get(f, ())} - seen
        seen |= frontier
        level += 1
    seen.discard(start)
    return seen


def _cycle_path(hint: list[str]) -> list[str]:
    """graphlib lists a cycle following data flow ([a, b, a]: a feeds b feeds a); rotate to start at the smallest name."""
    ring = hint[:-1]
    first = ring.index(min(ring))
    ring = ring[first:] + ring[:first]
    return [*ring, ring[0]]
