"""The simulation clock: the dates a :class:`~worldorder.engine.Simulation` steps over.

A clock is an ordered list of ISO dates. It comes from a scenario's dated steps (each distinct
date once), from a regular grid of periods (years or quarters, for multi-period runs), or both
merged; an undated scenario has the single date ``undated``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from worldorder.errors import EngineError

__all__ = ["UNDATED", "Clock"]

#: The one date of an undated scenario (its policies apply together).
UNDATED = "undated"

Frequency = Literal["year", "quarter"]


@dataclass(frozen=True)
class Clock:
    """Ordered, distinct dates (ISO ``YYYY-MM-DD``, or ``undated`` alone).

    Attributes:
        dates: The dates in order.
        frequency: ``year`` or ``quarter`` for a regular grid, ``None`` for scenario dates.
    """

    dates: tuple[str, ...]
    frequency: Frequency | None = None

    def __post_init__(self) -> None:
        if not self.dates:
            raise EngineError("a clock needs at least one date")
        if UNDATED in self.dates and len(self.dates) > 1:
            raise EngineError("'undated' cannot be mixed with dates")
        if list(self.dates) != sorted(set(self.dates)):
            raise EngineError("clock dates must be distinct and in order")

    @classmethod
    def from_dates(cls, dates: Iterable[str]) -> Clock:
        """The distinct dates given, in order (``undated`` when there are none)."""
        unique = sorted(set(dates))
        return cls(tuple(unique) if unique else (UNDATED,))

    @classmethod
    def regular(cls, start: str | dt.date, periods: int, frequency: Frequency = "year",
                extra: Iterable[str] = ()) -> Clock:
        """A grid of ``periods`` dates from ``start`` (every year or every quarter), merged
        with ``extra`` dates (e.g. a scenario's recorded steps before the grid takes over).

        Raises:
            EngineError: ``periods`` below 1 or an unknown frequency.
        """
        if periods < 1:
            raise EngineError(f"periods must be at least 1, got {periods}")
        first = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
        step = {"year": 12, "quarter": 3}.get(frequency)
        if step is None:
            raise EngineError(f"unknown frequency {frequency!r} (year or quarter)")
        grid = []
        for k in range(periods):
            months = first.month - 1 + k * step
            grid.append(_safe_date(first.year + months // 12, months % 12 + 1, first.day))
        extra = [d for d in extra if d != UNDATED]
        return cls(tuple(sorted({*(d.isoformat() for d in grid), *extra})), frequency)

    def __iter__(self) -> Iterator[str]:
        return iter(self.dates)

    def __len__(self) -> int:
        return len(self.dates)

    def index(self, date: str) -> int:
        """Position of ``date`` on the clock.

        Raises:
            EngineError: The date is not on the clock.
        """
        try:
            return self.dates.index(date)
        except ValueError:
            raise EngineError(f"date {date} is not on the clock "
                              f"({self.dates[0]} … {self.dates[-1]})") from None


def _safe_date(year: int, month: int, day: int) -> dt.date:
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:  # 31 February -> 28/29 February
            day -= 1
