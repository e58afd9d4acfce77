"""Spread independent work over the machine's cores with ``fork``: children inherit the compiler's
state for free and send back only their (picklable) results. Used to compile, to trace lineage and to lint."""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 12


def workers() -> int:
    """How many processes a parallel map may use (cores, capped at 4; 1 where fork is unsafe)."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def map_forked(items: Sequence[T], work: Callable[[T], R]) -> list[R]:
    """``[work(i) for i in items]``, with all but the first chunk computed in forked children."""
    count = min(workers(), len(items) // MIN_ITEMS_PER_WORKER)
    if count <= 1:
        return [work(item) for item in items]
    chunks = _chunks(items, count)
    children = Forked([_spawn(chunk, work) for chunk in chunks[1:]])
    return [work(item) for item in chunks[0]] + children.join()


def start_forked(items: Sequence[T], work: Callable[[T], R]) -> Forked[R]:
    """Start ``[work(i) for i in items]`` in forked children and return at once, leaving this
    process's core to other work; ``join()`` gives the results (computed here where fork is unsafe)."""
    count = min(workers() - 1, len(items) // MIN_ITEMS_PER_WORKER)
    if count < 1:
        return Forked([], [work(item) for item in items])
    return Forked([_spawn(chunk, work) for chunk in _chunks(items, count)])


class Forked(Generic[R]):
    """Results being computed by forked children, in item order."""

    def __init__(self, children: list[tuple[int, int]], done: list[R] | None = None):
        self.children = children
        self.done = done or []

    def join(self) -> list[R]:
        results = list(self.done)
        for pid, reader in self.children:
            with os.fdopen(reader, "rb") as pipe:
                payload = pipe.read()
            os.waitpid(pid, 0)
            ok, value = pickle.loads(payload)
            if isinstance(value, OSError):
                raise value
            if not ok:
                raise RuntimeError(f"a forked worker failed:\n{value}")
            results.extend(value)
        self.children = []
        return results


def _chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    size = -(-len(items) // count)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _spawn(chunk: Sequence[T], work: Callable[[T], R]) -> tuple[int, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)  # pragma: no cover - runs in the child
    gc.disable()  # a collection would touch every inherited object and copy the parent's memory
    try:
        payload = pickle.dumps((True, [work(item) for item in chunk]), protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as exc:  # the machine's problem (full disk, permissions): raised again in the parent
        payload = pickle.dumps((False, OSError(exc.errno, exc.strerror, exc.filename)))
    except BaseException:  # noqa: BLE001 - report anything to the parent
        payload = pickle.dumps((False, traceback.format_exc()))
    with os.fdopen(writer, "wb") as pipe:
        pipe.write(payload)
    os._exit(0)
