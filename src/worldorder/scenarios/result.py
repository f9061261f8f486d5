"""What a scenario run returns: :class:`Result` (one date) and :class:`TimelineResult` (all)."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from worldorder._version import __version__
from worldorder.data.world import World
from worldorder.engine.layers.politics import PoliticalState
from worldorder.errors import ScenarioError
from worldorder.scenarios.scenario import Scenario
from worldorder.trade.counterfactual import Outcome
from worldorder.trade.params import ModelParams

__all__ = ["Result", "TimelineResult", "scenario_record"]


def scenario_record(sc: Scenario) -> dict[str, Any]:
    """The resolved scenario as JSON-ready data, actions under their names."""
    out = json.loads(sc.model_dump_json(exclude={"policies", "steps"}, by_alias=True))
    out["policies"] = [{type(a).name: json.loads(a.model_dump_json())} for a in sc.policies]
    out["steps"] = [{"date": st.date.isoformat(), "id": st.id, "source": st.source,
                     "note": st.note, type(st.action).name: json.loads(st.action.model_dump_json())}
                    for st in sc.steps]
    return out


def _package() -> dict[str, str]:
    return {"worldorder": __version__, "python": platform.python_version(),
            "numpy": np.__version__, "pandas": pd.__version__}


def _dataset(world: World) -> dict[str, Any]:
    return {"name": world.name, "year": world.year, "sha256": world.fingerprint(),
            "economies": world.n, "units": dict(world.units), "sources": dict(world.sources),
            "constituents": {k: list(v) for k, v in world.constituents.items()}}


@dataclass(eq=False)
class Result:
    """The outcome of a scenario at one solved date.

    Attributes:
        scenario: The scenario.
        world: The World it ran on.
        params: Resolved model parameters.
        outcome: The solved counterfactual (baseline, equilibrium, tables).
        policies: Every tariff pair changed: ``imposer, target, rate_before, rate_after``.
        notes: Tables produced by actions up to this date (e.g. the USTR reciprocal
            calculation), by key.
        solver: ``iterations`` (Newton steps), ``chord_steps``, ``residual``, ``seconds``,
            ``homotopy_steps``.
        warnings: Data or model warnings.
    """

    scenario: Scenario
    world: World
    params: ModelParams
    outcome: Outcome
    policies: pd.DataFrame
    notes: dict[str, Any] = field(default_factory=dict)
    solver: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def economies(self) -> pd.DataFrame:
        """One row per economy: welfare, real wage, employment, prices, trade, revenue."""
        return self.outcome.economies

    @property
    def flows(self) -> pd.DataFrame:
        """Bilateral flows before and after."""
        return self.outcome.flows

    def manifest(self) -> dict[str, Any]:
        """What is needed to reproduce the run: scenario, data hash, parameters, versions."""
        return {
            "scenario": {"name": self.scenario.name, "text": self.scenario.text,
                         "parsed": scenario_record(self.scenario)},
            "dataset": _dataset(self.world),
            "parameters": self.params.describe(),
            "solver": self.solver,
            "warnings": self.warnings,
            "seed": self.scenario.seed,
            "package": _package(),
            "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def write(self, out_dir: str | Path) -> Path:
        """Write ``economies.csv``, ``policies.csv``, ``flows.parquet`` and ``manifest.json``.

        Files go to a temporary folder next to ``out_dir`` that is then renamed, so a reader
        never sees half a result. ``out_dir`` must not exist or be empty.
        """
        out = Path(out_dir)
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise ScenarioError(f"{out}: exists and is not empty; choose another --out folder")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.parent / f".{out.name}.tmp-{time.time_ns()}"
        tmp.mkdir()
        try:
            self.economies.to_csv(tmp / "economies.csv", index=False, float_format="%.10g")
            self.policies.to_csv(tmp / "policies.csv", index=False, float_format="%.10g")
            self.flows.to_parquet(tmp / "flows.parquet", index=False)
            for key, table in self.notes.items():
                if isinstance(table, pd.DataFrame):
                    table.to_csv(tmp / f"{key}.csv", index=False, float_format="%.10g")
            (tmp / "manifest.json").write_text(json.dumps(self.manifest(), indent=2,
                                                          default=str) + "\n")
            if out.exists():
                out.rmdir()
            tmp.rename(out)
        except BaseException:
            for f in tmp.iterdir():
                f.unlink()
            tmp.rmdir()
            raise
        return out


def _avg(world: World, t: np.ndarray, code: str) -> float:
    i = world.index(code)
    weights = world.trade[:, i].copy()
    weights[i] = 0.0
    return float((weights * t[:, i]).sum() / weights.sum())


@dataclass(eq=False)
class TimelineResult:
    """The outcome of a scenario on every date (see ``docs/run-format.md`` for the tables).

    Each solved date is a separate static equilibrium of the policy in force on that date,
    relative to the baseline: dates are not linked by dynamics.

    Attributes:
        scenario: The (resolved) scenario.
        world: The World it ran on.
        params: Model parameters.
        results: One :class:`Result` per solved date.
        tables: Every recorded table by name: the trade layer's ``economies``, ``flows``,
            ``policies``; the engine's ``timeline``; the politics layer's ``memberships``,
            ``pledges``, ``defense_targets``, ``aid``, ``forces``, ``events``; any other
            registered layer's; and ``note_<kind>`` tables of strategic actions.
        schemas: The Arrow schema of each registered table.
        warnings: Data or model warnings.
        political: Memberships, pledges, aid, forces and events after the last step.
        tariff_history: The tariff matrix after each date (solved or not).
        notes: Every note kept by actions, by key.
    """

    scenario: Scenario
    world: World
    params: ModelParams
    results: dict[str, Result]
    tables: dict[str, pd.DataFrame]
    schemas: dict[str, pa.Schema] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    political: PoliticalState | None = None
    tariff_history: dict[str, np.ndarray] = field(default_factory=dict)
    notes: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def dates(self) -> list[str]:
        """Solved dates, in order."""
        return list(self.results)

    @property
    def last(self) -> Result:
        """The result at the last solved date."""
        return self.results[self.dates[-1]]

    @property
    def economies(self) -> pd.DataFrame:
        """Economies by date, with ``*_step`` changes from the previous solved date."""
        return self.tables["economies"]

    @property
    def flows(self) -> pd.DataFrame:
        """Bilateral flows by date."""
        return self.tables["flows"]

    @property
    def policies(self) -> pd.DataFrame:
        """Tariff pairs that differ from the baseline, by date."""
        return self.tables["policies"]

    @property
    def timeline(self) -> pd.DataFrame:
        """One row per applied action, with its provenance."""
        return self.tables["timeline"]

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
        """Scenario, dataset, parameters, dates, solver statistics, tables and versions."""
        sc = self.scenario
        return {
            "scenario": {"name": sc.name, "text": sc.text, "parsed": scenario_record(sc)},
            "dataset": _dataset(self.world),
            "parameters": self.params.describe(),
            "dates": self.dates,
            "solver": self.solver,
            "seed": sc.seed,
            "tables": sorted(self.tables),
            "package": _package(),
            "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "warnings": self.warnings,
        }
