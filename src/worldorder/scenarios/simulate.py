"""Running a scenario: policies -> tariffs and trade costs -> equilibrium -> Result."""

from __future__ import annotations

import json
import platform
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from worldorder.data.world import World
from worldorder.errors import ScenarioError
from worldorder.scenarios.actions import PolicyState, policy_table
from worldorder.scenarios.scenario import Scenario
from worldorder.trade.counterfactual import Outcome
from worldorder.trade.params import ModelParams, resolve_params

__all__ = ["Result", "simulate"]


@dataclass(eq=False)
class Result:
    """The outcome of :func:`simulate`.

    Attributes:
        scenario: The scenario.
        world: The World it ran on.
        params: Resolved model parameters.
        outcome: The solved counterfactual (baseline, equilibrium, tables).
        policies: Every tariff pair changed: ``imposer, target, rate_before, rate_after``.
        notes: Tables produced by actions (e.g. the USTR reciprocal calculation).
        solver: ``iterations``, ``residual``, ``seconds``, ``homotopy_steps``.
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
        from worldorder import __version__
        from worldorder.scenarios.timeline import scenario_record

        return {
            "scenario": {"name": self.scenario.name, "text": self.scenario.text,
                         "parsed": scenario_record(self.scenario)},
            "dataset": {"name": self.world.name, "year": self.world.year,
                        "sha256": self.world.fingerprint(), "economies": self.world.n,
                        "units": dict(self.world.units), "sources": dict(self.world.sources)},
            "parameters": self.params.describe(),
            "solver": self.solver,
            "warnings": self.warnings,
            "seed": self.scenario.seed,
            "package": {"worldorder": __version__, "python": platform.python_version(),
                        "numpy": np.__version__, "pandas": pd.__version__},
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


def check_names(scenario: Scenario, world: World) -> None:
    """Every economy, group or organisation an action names must be known (located errors)."""
    from worldorder.scenarios.actions_political import KNOWN_ORGANIZATIONS

    orgs = set(KNOWN_ORGANIZATIONS)
    if not world.memberships.empty:
        orgs |= set(world.memberships["organization"])
    for k, (_, action) in enumerate(scenario.actions()):
        for loc, name in action.names_used():
            if not world.is_known(name):
                raise scenario.located_policy_error(
                    k, loc, f"unknown economy or group {name!r} in dataset {world.name!r}")
        for loc, org in action.organizations_used():
            if org not in orgs:
                raise scenario.located_policy_error(
                    k, loc, f"unknown organization {org!r} (known: the dataset's memberships "
                            "and " + ", ".join(sorted(KNOWN_ORGANIZATIONS)) + ")")


def resolve_model(scenario: Scenario, world: World) -> ModelParams:
    """Parameters of the scenario's ``model`` section for ``world`` (located errors)."""
    try:
        return resolve_params(world, scenario.model.preset, **scenario.model.overrides())
    except ValueError as exc:
        m = re.match(r"model\.(\w+): (.*)", str(exc))
        if m:
            raise scenario.error(("model", m.group(1)), m.group(2)) from None
        raise scenario.error(("model",), str(exc)) from None


def simulate(scenario: Scenario | str | Path, *, world: World | None = None) -> Result:
    """Run a scenario: apply its policies and solve the general equilibrium.

    For a dated scenario (``steps``) this is the result at its last solved date; use
    :func:`~worldorder.scenarios.timeline.simulate_timeline` for every date.

    Args:
        scenario: A :class:`Scenario`, a scenario file or a bundled scenario name.
        world: Use this World instead of the scenario's ``dataset``.

    Returns:
        A :class:`Result` with ``economies``, ``flows``, ``policies`` and ``solver``.

    Raises:
        ScenarioError: A malformed scenario (file, line, field).
        DataError: A malformed dataset.
        ConvergenceError: The solver did not converge.
    """
    from worldorder.scenarios.timeline import simulate_timeline

    return simulate_timeline(scenario, world=world).last


def make_result(scenario: Scenario, world: World, params: ModelParams, outcome: Outcome,
                state: PolicyState) -> Result:
    """Package a solved policy state as a :class:`Result`."""
    eq = outcome.equilibrium
    solver = {"iterations": eq.iterations, "residual": eq.residual, "seconds": eq.seconds,
              "homotopy_steps": eq.homotopy_steps}
    warnings = [f"{world.codes[k]}: imports exceed GDP plus the trade deficit, so its "
                "domestic sales were set to zero (check its GDP and trade)"
                for k in outcome.baseline.clipped]
    return Result(scenario=scenario, world=world, params=params, outcome=outcome,
                  policies=policy_table(state), notes=dict(state.notes), solver=solver,
                  warnings=warnings)
