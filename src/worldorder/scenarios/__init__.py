"""Layer 4, scenarios: policy files (YAML), checked against their dataset and run on the engine."""

from worldorder.engine.action import Action, register
from worldorder.registry import ACTIONS
from worldorder.scenarios.result import Result, TimelineResult
from worldorder.scenarios.scenario import (
    ModelSpec,
    Scenario,
    bundled_scenarios,
    load_scenario,
)
from worldorder.scenarios.simulate import simulate
from worldorder.scenarios.timeline import build_simulation, simulate_timeline

__all__ = [
    "ACTIONS",
    "Action",
    "ModelSpec",
    "Result",
    "Scenario",
    "TimelineResult",
    "build_simulation",
    "bundled_scenarios",
    "load_scenario",
    "register",
    "simulate",
    "simulate_timeline",
]
