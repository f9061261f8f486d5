"""Check a scenario against its dataset without solving anything.

Parsing a scenario already checks every field's type and range (rates are fractions in a sane
range, see :mod:`worldorder.engine.rates`); :func:`validate_scenario` adds what needs the
dataset: every economy, group and organisation named must exist in it, and the model section
must resolve to parameters for its economies. ``worldorder run`` calls it before a run folder
exists, and ``worldorder validate FILE`` calls it alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from worldorder.data.world import World
from worldorder.scenarios.checks import check_layers, check_names, resolve_model, scenario_world
from worldorder.scenarios.scenario import Scenario, load_scenario
from worldorder.trade.params import ModelParams

__all__ = ["CheckedScenario", "check_scenario", "validate_scenario"]


@dataclass(frozen=True)
class CheckedScenario:
    """A scenario with its dataset, its resolved model parameters and its layers' parameters."""

    scenario: Scenario
    world: World
    params: ModelParams
    layer_config: dict[str, BaseModel]


def check_scenario(scenario: Scenario | str | Path, world: World | None = None
                   ) -> CheckedScenario:
    """Load ``scenario`` and its dataset and check one against the other and the layers.

    Raises:
        ScenarioError: A located error (file, line, field, step and date).
        DataError: The dataset cannot be loaded.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if world is None:
        world = scenario_world(scenario)
    check_names(scenario, world)
    params = resolve_model(scenario, world)
    return CheckedScenario(scenario, world, params, check_layers(scenario))


def validate_scenario(scenario: Scenario | str | Path, world: World | None = None
                      ) -> tuple[Scenario, World]:
    """Load ``scenario`` and its dataset and check one against the other.

    Returns:
        The scenario and the World, for the run that follows.

    Raises:
        ScenarioError: A located error (file, line, field, step and date).
        DataError: The dataset cannot be loaded.
    """
    checked = check_scenario(scenario, world)
    return checked.scenario, checked.world
