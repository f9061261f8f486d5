"""worldorder: a simulator of the international order on real data.

Layers, bottom up: ``data`` (the World), ``trade`` (the general-equilibrium core and tariff
instruments), ``scenarios`` (policy files, runs and reports). The main names are re-exported here.
"""

from __future__ import annotations

from worldorder.data import World, load_dataset, load_world
from worldorder.errors import ConvergenceError, DataError, ScenarioError, WorldorderError

__version__ = "0.1.0"

__all__ = [
    "ConvergenceError",
    "DataError",
    "ScenarioError",
    "World",
    "WorldorderError",
    "__version__",
    "load_dataset",
    "load_world",
]
