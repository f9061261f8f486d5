"""Timelines: a scenario solved at every date on which its trade policy changes.

:func:`simulate_timeline` applies a scenario's dated ``steps`` cumulatively in date order (an
undated scenario is one date, ``undated``), solves the equilibrium at each date where the trade
policy changed, always relative to the original baseline, and collects the tables described in
``docs/run-format.md``.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from worldorder.data import load_world
from worldorder.data.world import World
from worldorder.scenarios.scenario import Scenario, load_scenario
from worldorder.scenarios.simulate import Result
from worldorder.trade.params import ModelParams

__all__ = ["STEP_COLUMNS", "UNDATED", "TimelineResult", "simulate_timeline"]

UNDATED = "undated"
STEP_COLUMNS = ("welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct")
Progress = Callable[[int, int, str], None]


@dataclass(eq=False)
class TimelineResult:
    """The outcome of :func:`simulate_timeline`.

    Attributes:
        scenario: The (resolved) scenario.
        world: The World it ran on.
        params: Model parameters.
        results: One :class:`~worldorder.scenarios.simulate.Result` per solved date.
        timeline: One row per step (see ``docs/run-format.md``).
        warnings: Data or model warnings.
    """

    scenario: Scenario
    world: World
    params: ModelParams
    results: dict[str, Result]
    timeline: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    @property
    def dates(self) -> list[str]:
        """Solved dates, in order."""
        return list(self.results)

    @property
    def last(self) -> Result:
        """The result at the last solved date."""
        return self.results[self.dates[-1]]

    def _stack(self, attr: str) -> pd.DataFrame:
        frames = [getattr(r, attr).assign(date=d) for d, r in self.results.items()]
        df = pd.concat(frames, ignore_index=True)
        return df[["date", *[c for c in df.columns if c != "date"]]]

    @property
    def economies(self) -> pd.DataFrame:
        """Economies by date, with ``*_step`` changes from the previous solved date."""
        df = self._stack("economies")
        for col in STEP_COLUMNS:
            level = 1.0 + df[col] / 100.0
            prev = level.groupby(df["economy"]).shift(1).fillna(1.0)
            df[f"{col}_step"] = 100.0 * (level / prev - 1.0)
        return df

    @property
    def flows(self) -> pd.DataFrame:
        """Bilateral flows by date."""
        return self._stack("flows")

    @property
    def policies(self) -> pd.DataFrame:
        """Tariff pairs that differ from the baseline, by date."""
        return self._stack("policies")

    @property
    def solver(self) -> dict[str, dict[str, Any]]:
        """Solver statistics by date."""
        return {d: r.solver for d, r in self.results.items()}

    def manifest(self) -> dict[str, Any]:
        """Scenario, dataset, parameters, dates, solver statistics and versions."""
        from worldorder import __version__

        sc = self.scenario
        return {
            "scenario": {"name": sc.name, "text": sc.text,
                         "parsed": json.loads(sc.model_dump_json())},
            "dataset": {"name": self.world.name, "year": self.world.year,
                        "sha256": self.world.fingerprint(), "economies": self.world.n,
                        "units": dict(self.world.units), "sources": dict(self.world.sources)},
            "parameters": self.params.describe(),
            "dates": self.dates,
            "solver": self.solver,
            "seed": sc.seed,
            "package": {"worldorder": __version__, "python": platform.python_version(),
                        "numpy": np.__version__, "pandas": pd.__version__},
            "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "warnings": self.warnings,
        }


def _timeline_rows(scenario: Scenario, date: str) -> pd.DataFrame:
    rows = []
    for k, action in enumerate(scenario.policies):
        rows.append({"date": date, "step": k, "action": type(action).name,
                     "summary": action.describe(), "parties": ",".join(action.parties()),
                     "source": "", "priced": bool(action.classifier.get("priced", False)),
                     "details": action.model_dump_json()})
    return pd.DataFrame(rows, columns=["date", "step", "action", "summary", "parties", "source",
                                       "priced", "details"])


def simulate_timeline(scenario: Scenario | str | Path, *, world: World | None = None,
                      progress: Progress | None = None) -> TimelineResult:
    """Run a scenario date by date.

    Args:
        scenario: A :class:`Scenario`, a file or a bundled name.
        world: Use this World instead of the scenario's dataset.
        progress: Called as ``progress(done, total, label)`` after each solved date.

    Raises:
        ScenarioError, DataError, ConvergenceError: As :func:`simulate`.
    """
    from worldorder.scenarios.simulate import simulate

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if world is None:
        base = scenario.path.parent if scenario.path is not None else None
        world = load_world(scenario.dataset, base=base)
    start = time.perf_counter()
    result = simulate(scenario, world=world)
    if progress is not None:
        progress(1, 1, UNDATED)
    _ = time.perf_counter() - start
    return TimelineResult(scenario=scenario, world=world, params=result.params,
                          results={UNDATED: result}, timeline=_timeline_rows(scenario, UNDATED),
                          warnings=list(result.warnings))
