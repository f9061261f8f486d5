"""Layer 2, trade: the general-equilibrium core and tariff instruments."""

from worldorder.trade.baseline import Baseline, baseline_from_flows, baseline_from_world
from worldorder.trade.equilibrium import Equilibrium, solve_equilibrium
from worldorder.trade.params import PRESETS, ModelParams, resolve_params

__all__ = [
    "PRESETS",
    "Baseline",
    "Equilibrium",
    "ModelParams",
    "baseline_from_flows",
    "baseline_from_world",
    "resolve_params",
    "solve_equilibrium",
]
