"""SIGINT (Ctrl-C) and SIGTERM during a run: no node starts after the signal, the statements
running are cancelled where the engine can (their node rolls back) or else finish, and the run
ends with what it did recorded. A second signal raises ``KeyboardInterrupt``: the process ends
without writing its results (the journal has them; the engine rolls back what was not committed)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator


class Stop:
    """Set by the first SIGINT / SIGTERM while ``catching()``; ``signal_name`` says which."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.reason: str | None = None
        self._on_signal: list[Callable[[], None]] = []

    def __bool__(self) -> bool:
        return self.signum is not None or self.reason is not None

    @property
    def signal_name(self) -> str:
        """The signal, or the reason given to ``request``: what skipped nodes say stopped the run."""
        return signal.Signals(self.signum).name if self.signum else (self.reason or "")

    def request(self, reason: str) -> None:
        """Stop without a signal (``--fail-fast``): no node starts after this; running ones finish."""
        if not self:
            self.reason = reason

    def on_signal(self, callback: Callable[[], None]) -> None:
        self._on_signal.append(callback)

    @contextlib.contextmanager
    def catching(self) -> Iterator[Stop]:
        """Handle SIGINT and SIGTERM (only the main thread can; elsewhere signals keep their handlers)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = {s: signal.signal(s, self._handle) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _handle(self, signum: int, frame: object) -> None:
        if self.signum is not None:
            raise KeyboardInterrupt
        self.signum = signum
        for callback in self._on_signal:
            callback()
