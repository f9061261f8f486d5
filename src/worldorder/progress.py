"""Progress inside long steps: long computations say what they are doing, whoever listens.

A Nash equilibrium of a trade war or a table of coalitions can take a minute inside one date of
a scenario. Such loops call :func:`report` (``"trade war from free_trade, round 4: GBR 12/45"``,
``"coalitions: chunk 8/16, 5,090 solves"``); a caller that shows progress (the command line's
progress bar) installs a handler for the duration of the work with :func:`reporting`. Without a
handler a report costs one lookup and does nothing. The handler lives in a context variable, so
nested or concurrent runs in threads do not mix their reports; worker processes report nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Handler", "report", "reporting"]

Handler = Callable[[str], None]
_HANDLER: ContextVar[Handler | None] = ContextVar("worldorder_progress", default=None)


def report(message: str) -> None:
    """Tell the current handler (if any) what the computation is doing now."""
    handler = _HANDLER.get()
    if handler is not None:
        handler(message)


@contextmanager
def reporting(handler: Handler | None) -> Iterator[None]:
    """Send :func:`report` messages to ``handler`` inside the ``with`` block."""
    token = _HANDLER.set(handler)
    try:
        yield
    finally:
        _HANDLER.reset(token)
