"""worldorder: a simulator of the international order on real data.

Layers, bottom up: ``data`` (the World), ``trade`` (the general-equilibrium core and tariff
instruments), ``engine`` (the Simulation: clock, randomness, action queue, layers, recorder),
``scenarios`` (policy files), ``strategy``, ``runs``, ``reports`` and ``cli``. The main names are
re-exported here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from worldorder._version import __version__

if TYPE_CHECKING:  # the names below are imported on first use (see __getattr__)
    from worldorder.data import World, load_dataset, load_world
    from worldorder.engine import Layer, Simulation
    from worldorder.errors import ConvergenceError, DataError, ScenarioError, WorldorderError
    from worldorder.scenarios import (
        Result,
        Scenario,
        TimelineResult,
        build_simulation,
        load_scenario,
        simulate,
        simulate_timeline,
    )
    from worldorder.trade import ModelParams, resolve_params, solve_equilibrium
    from worldorder.trade.counterfactual import Outcome, run_counterfactual

#: Where each re-exported name lives. ``import worldorder`` imports none of these modules (and so
#: neither pandas, SciPy, pyarrow, DuckDB nor plotly): a name is imported the first time it is
#: used, e.g. ``worldorder.simulate``, so that the command line and scripts start fast.
_EXPORTS = {
    "World": "worldorder.data", "load_dataset": "worldorder.data",
    "load_world": "worldorder.data",
    "Layer": "worldorder.engine", "Simulation": "worldorder.engine",
    "ConvergenceError": "worldorder.errors", "DataError": "worldorder.errors",
    "ScenarioError": "worldorder.errors", "WorldorderError": "worldorder.errors",
    "Result": "worldorder.scenarios", "Scenario": "worldorder.scenarios",
    "TimelineResult": "worldorder.scenarios", "build_simulation": "worldorder.scenarios",
    "load_scenario": "worldorder.scenarios", "simulate": "worldorder.scenarios",
    "simulate_timeline": "worldorder.scenarios",
    "ModelParams": "worldorder.trade", "resolve_params": "worldorder.trade",
    "solve_equilibrium": "worldorder.trade",
    "Outcome": "worldorder.trade.counterfactual",
    "run_counterfactual": "worldorder.trade.counterfactual",
}


def __getattr__(name: str) -> Any:
    """Import a re-exported name on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'worldorder' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "ConvergenceError",
    "DataError",
    "Layer",
    "ModelParams",
    "Outcome",
    "Result",
    "Scenario",
    "ScenarioError",
    "Simulation",
    "TimelineResult",
    "World",
    "WorldorderError",
    "__version__",
    "build_simulation",
    "load_dataset",
    "load_scenario",
    "load_world",
    "resolve_params",
    "run_counterfactual",
    "simulate",
    "simulate_timeline",
    "solve_equilibrium",
]
