"""worldorder: a simulator of the international order on real data.

Layers, bottom up: ``data`` (the World), ``trade`` (the general-equilibrium core and tariff
instruments), ``engine`` (the Simulation: clock, randomness, action queue, layers, recorder),
``scenarios`` (policy files), ``strategy``, ``runs``, ``reports`` and ``cli``. The main names are
re-exported here.
"""

from __future__ import annotations

from worldorder._version import __version__
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
