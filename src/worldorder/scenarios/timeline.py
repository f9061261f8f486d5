"""Timelines: a scenario solved at every date on which its trade policy changes.

:func:`simulate_timeline` applies a scenario's dated ``steps`` cumulatively in date order (an
undated scenario is one date, ``undated``), solves the equilibrium at each date where the trade
policy changed, always relative to the original baseline, and collects the tables described in
``docs/run-format.md``.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from worldorder.data import load_world
from worldorder.data.world import World
from worldorder.scenarios.actions import PolicyState, PoliticalState
from worldorder.scenarios.scenario import Scenario, load_scenario
from worldorder.scenarios.simulate import Result, check_names, make_result, resolve_model
from worldorder.trade.counterfactual import model_baseline, run_counterfactual
from worldorder.trade.params import ModelParams

__all__ = ["STEP_COLUMNS", "UNDATED", "TimelineResult", "simulate_timeline"]


def scenario_record(sc: Scenario) -> dict[str, Any]:
    """The resolved scenario as JSON-ready data, actions under their names."""
    out = json.loads(sc.model_dump_json(exclude={"policies", "steps"}, by_alias=True))
    out["policies"] = [{type(a).name: json.loads(a.model_dump_json())} for a in sc.policies]
    out["steps"] = [{"date": st.date.isoformat(), "id": st.id, "source": st.source,
                     "note": st.note, type(st.action).name: json.loads(st.action.model_dump_json())}
                    for st in sc.steps]
    return out


def _avg(world: World, t: np.ndarray, code: str) -> float:
    i = world.index(code)
    weights = world.trade[:, i].copy()
    weights[i] = 0.0
    return float((weights * t[:, i]).sum() / weights.sum())

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
        political: Memberships, pledges, aid, forces and events after the last step.
        tariff_history: The tariff matrix after each date (solved or not).
    """

    scenario: Scenario
    world: World
    params: ModelParams
    results: dict[str, Result]
    timeline: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    political: PoliticalState | None = None
    tariff_history: dict[str, np.ndarray] = field(default_factory=dict)

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

    def average_tariffs(self, imposers: list[str] | None = None) -> pd.DataFrame:
        """Trade-weighted average tariff of each imposer at each date (``date, economy,
        average_tariff``), weighted by baseline imports (a fixed-weight, pre-substitution
        average, comparable with the "statutory" effective-rate estimates of 2025).
        """
        w = self.world
        codes = imposers or w.codes
        rows = [{"date": "baseline", "economy": c, "average_tariff": _avg(w, w.tariffs, c)}
                for c in codes]
        for date, t in self.tariff_history.items():
            rows += [{"date": date, "economy": c, "average_tariff": _avg(w, t, c)}
                     for c in codes]
        return pd.DataFrame(rows)

    def manifest(self) -> dict[str, Any]:
        """Scenario, dataset, parameters, dates, solver statistics and versions."""
        from worldorder import __version__

        sc = self.scenario
        return {
            "scenario": {"name": sc.name, "text": sc.text, "parsed": scenario_record(sc)},
            "dataset": {"name": self.world.name, "year": self.world.year,
                        "sha256": self.world.fingerprint(), "economies": self.world.n,
                        "units": dict(self.world.units), "sources": dict(self.world.sources),
                        "constituents": {k: list(v) for k, v in self.world.constituents.items()}},
            "parameters": self.params.describe(),
            "dates": self.dates,
            "solver": self.solver,
            "seed": sc.seed,
            "package": {"worldorder": __version__, "python": platform.python_version(),
                        "numpy": np.__version__, "pandas": pd.__version__},
            "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "warnings": self.warnings,
        }


def simulate_timeline(scenario: Scenario | str | Path, *, world: World | None = None,
                      progress: Progress | None = None) -> TimelineResult:
    """Run a scenario date by date.

    Steps are applied cumulatively in date order; the equilibrium is solved at every date on
    which the tariffs or trade costs changed (warm-started from the previous date), always
    relative to the original baseline. A date whose actions the trade model does not price is
    kept on the timeline without a solve. If nothing is ever priced, the last date is solved
    (a zero shock) so that every run has results.

    Args:
        scenario: A :class:`Scenario`, a file or a bundled name.
        world: Use this World instead of the scenario's dataset.
        progress: Called as ``progress(done, total, date)`` after each date.

    Raises:
        ScenarioError: Unknown economies or organisations, or an action that cannot apply,
            located by file, line, field, step index and date.
        DataError, ConvergenceError: As :func:`~worldorder.scenarios.simulate.simulate`.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if world is None:
        base_dir = scenario.path.parent if scenario.path is not None else None
        world = load_world(scenario.dataset, base=base_dir)
    check_names(scenario, world)
    params = resolve_model(scenario, world)
    baseline = model_baseline(world, params)
    state = PolicyState.start(world)
    state.params = params
    pairs = scenario.actions()
    steps = scenario.steps
    dates = list(dict.fromkeys(d for d, _ in pairs)) or [UNDATED]
    results: dict[str, Result] = {}
    history: dict[str, np.ndarray] = {}
    rows: list[dict[str, Any]] = []
    t_prev, d_prev = state.t.copy(), state.dhat.copy()
    guess: np.ndarray | None = None
    for n_done, date in enumerate(dates, start=1):
        state.date = date
        for k, (d, action) in enumerate(pairs):
            if d != date:
                continue
            try:
                action.apply(state)
            except (KeyError, ValueError) as exc:
                msg = exc.args[0] if exc.args else str(exc)
                raise scenario.located_policy_error(k, (), str(msg)) from None
            rows.append({"date": date, "step": k, "action": type(action).name,
                         "summary": action.describe(), "parties": ",".join(action.involved()),
                         "source": steps[k].source if steps else "",
                         "priced": bool(action.classifier.get("priced", False)),
                         "details": action.model_dump_json()})
        history[date] = state.t.copy()
        changed = not (np.array_equal(state.t, t_prev) and np.array_equal(state.dhat, d_prev))
        if changed or (n_done == len(dates) and not results):
            dhat = None if np.all(state.dhat == 1.0) else state.dhat
            outcome = run_counterfactual(world, params, state.t, dhat, baseline=baseline,
                                         guess=guess)
            results[date] = make_result(scenario, world, params, outcome, state)
            guess = outcome.equilibrium.z
            t_prev, d_prev = state.t.copy(), state.dhat.copy()
        if progress is not None:
            progress(n_done, len(dates), date)
    timeline = pd.DataFrame(rows, columns=["date", "step", "action", "summary", "parties",
                                           "source", "priced", "details"])
    warnings = list(dict.fromkeys(w for r in results.values() for w in r.warnings))
    return TimelineResult(scenario=scenario, world=world, params=params, results=results,
                          timeline=timeline, warnings=warnings, political=state.political,
                          tariff_history=history)
