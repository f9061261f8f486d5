"""Layer 3, scenarios: policy files, actions and runs."""

from worldorder.scenarios.actions import ACTIONS, Action, PolicyState, register
from worldorder.scenarios.scenario import (
    ModelSpec,
    Scenario,
    bundled_scenarios,
    load_scenario,
)
from worldorder.scenarios.simulate import Result, simulate

__all__ = [
    "ACTIONS",
    "Action",
    "ModelSpec",
    "PolicyState",
    "Result",
    "Scenario",
    "bundled_scenarios",
    "load_scenario",
    "register",
    "simulate",
]
