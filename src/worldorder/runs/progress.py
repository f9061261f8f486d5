"""A rich progress bar for runs, shown only when a run is long enough to need one.

The bar appears once the engine reports more than one date, or once the run has taken longer
than ``delay`` seconds (a timer starts it with a spinner until the first date is solved). The bar
is short and the label (a date, or what a long step is doing) folds onto a second line rather
than being cut, so that it reads in 80 columns.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column

__all__ = ["ProgressCallback", "RunProgress"]

ProgressCallback = Callable[[int, int, str], None]


class RunProgress:
    """A progress callback ``(done, total, label)`` that draws a bar when worth it.

    Use as a context manager around the run; the bar is removed at the end.

    Args:
        description: Text left of the bar (the scenario name).
        console: Where to draw; standard error by default.
        delay: Seconds after which even a one-date run shows the bar.
    """

    def __init__(self, description: str, *, console: Console | None = None,
                 delay: float = 1.0) -> None:
        self.description = description
        self.console = console or Console(stderr=True)
        self.delay = delay
        self._lock = threading.Lock()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._timer: threading.Timer | None = None
        self._closed = False
        self._start = time.perf_counter()
        self._state: tuple[int, int | None, str] = (0, None, "")

    @property
    def shown(self) -> bool:
        """Whether the bar has been drawn."""
        return self._progress is not None

    def __enter__(self) -> RunProgress:
        self._start = time.perf_counter()
        self._timer = threading.Timer(self.delay, self._show)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __call__(self, done: int, total: int, label: str) -> None:
        """Record progress; draw the bar if there are several dates or the run is slow."""
        self._state = (done, total, label)
        if self._progress is None and (
                total > 1 or time.perf_counter() - self._start > self.delay):
            self._show()
        self._update()

    def inner(self, message: str) -> None:
        """Show what the current date's work is doing (a long Nash or coalition step), from
        :func:`worldorder.progress.report`."""
        done, total, _ = self._state
        self._state = (done, total, message)
        if self._progress is None and time.perf_counter() - self._start > self.delay:
            self._show()
        self._update()

    def _show(self) -> None:
        with self._lock:
            if self._closed or self._progress is not None:
                return
            done, total, _ = self._state
            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=10),
                MofNCompleteColumn(), TextColumn("{task.fields[label]}",
                                                 table_column=Column(overflow="fold")),
                TimeElapsedColumn(),
                console=self.console, transient=True)
            self._task = self._progress.add_task(self.description, total=total,
                                                 completed=done, label="")
            self._progress.start()
        self._update()

    def _update(self) -> None:
        with self._lock:
            if self._progress is None or self._task is None or self._closed:
                return
            done, total, label = self._state
            self._progress.update(self._task, completed=done, total=total, label=label)

    def close(self) -> None:
        """Stop the timer and remove the bar."""
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._progress is not None:
                self._progress.stop()
