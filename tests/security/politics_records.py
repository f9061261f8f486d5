"""The bundled records the politics tests read, each run once per test session."""

from __future__ import annotations

from functools import lru_cache

from worldorder.scenarios.timeline import TimelineResult, simulate_timeline


@lru_cache(maxsize=4)
def record(name: str) -> TimelineResult:
    """``simulate_timeline(name)``, shared (read-only) by the tests that need it."""
    return simulate_timeline(name)
