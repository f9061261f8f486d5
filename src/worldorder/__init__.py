"""worldorder: a simulator of the international order on real data.

Layers, bottom up: ``data`` (the World), ``trade`` (the general-equilibrium core and tariff
instruments), ``scenarios`` (policy files, runs and reports). The main names are re-exported here.
"""

from __future__ import annotations

from worldorder.data import World, load_dataset, load_world
from worldorder.errors import ConvergenceError, DataError, ScenarioError, WorldorderError
from worldorder.scenarios import Result, Scenario, load_scenario, simulate
from worldorder.trade import ModelParams, resolve_params, solve_equilibrium
from worldorder.trade.counterfactual import Outcome, run_counterfactual

__version__ = "0.1.0"

__all__ = [
    "ConvergenceError",
    "DataError",
    "ModelParams",
    "Outcome",
    "Result",
    "Scenario",
    "ScenarioError",
    "World",
    "WorldorderError",
    "__version__",
    "load_dataset",
    "load_scenario",
    "load_world",
    "resolve_params",
    "run_counterfactual",
    "simulate",
    "solve_equilibrium",
]
