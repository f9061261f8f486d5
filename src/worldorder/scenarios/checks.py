"""Checks of a scenario against its dataset, before anything is solved or written."""

from __future__ import annotations

from typing import cast

from pydantic import BaseModel, ValidationError

from worldorder.data import dataset_path, load_world
from worldorder.data.world import World
from worldorder.engine.actions.political import KNOWN_ORGANIZATIONS
from worldorder.engine.layer import Layer
from worldorder.errors import DataError, ParameterError, ScenarioError
from worldorder.registry import LAYERS
from worldorder.scenarios.scenario import Scenario
from worldorder.trade.params import ModelParams, resolve_params

__all__ = ["check_layers", "check_names", "resolve_model", "scenario_world"]


def scenario_world(scenario: Scenario) -> World:
    """The scenario's dataset (a folder relative to the scenario's file, or a bundled name).

    Raises:
        DataError: Located in the dataset's own file when one is at fault, else (no such
            dataset) at the scenario's ``dataset`` field.
    """
    base = scenario.path.parent if scenario.path is not None else None
    try:
        dataset_path(scenario.dataset, base=base)
    except DataError as exc:
        where = scenario.error(("dataset",), exc.message)
        raise exc.located(file=where.file, line=where.line, field=where.field) from None
    return load_world(scenario.dataset, base=base)


def check_names(scenario: Scenario, world: World) -> None:
    """Every economy, group or organisation an action names must be known.

    Raises:
        ScenarioError: Located at the field that names it (file, line, step, date).
    """
    orgs = set(KNOWN_ORGANIZATIONS)
    if not world.memberships.empty:
        orgs |= set(world.memberships["organization"])
    for item in scenario.schedule():
        action, prov = item.action, item.provenance
        for loc, name in action.names_used():
            if not world.is_known(name):
                raise prov.error(f"unknown economy or group {name!r} in dataset "
                                 f"{world.name!r}", loc)
        for loc, org in action.organizations_used():
            if org not in orgs:
                raise prov.error(f"unknown organization {org!r} (known: the dataset's "
                                 "memberships and " + ", ".join(sorted(KNOWN_ORGANIZATIONS))
                                 + ")", loc)


def resolve_model(scenario: Scenario, world: World) -> ModelParams:
    """Parameters of the scenario's ``model`` section for ``world``.

    Raises:
        ScenarioError: Located at the offending parameter of the ``model`` section.
    """
    try:
        return resolve_params(world, scenario.model.preset, **scenario.model.overrides())
    except ParameterError as exc:
        where = scenario.error(("model", exc.parameter), exc.message)
        raise ParameterError(exc.message, parameter=exc.parameter, economy=exc.economy,
                             file=where.file, line=where.line, field=where.field) from None
    except ScenarioError:
        raise


def check_layers(scenario: Scenario) -> dict[str, BaseModel]:
    """The scenario's ``layers:`` parameters, each validated by its layer's ``Config``.

    Raises:
        ScenarioError: An unknown layer, a layer without parameters, or an invalid value,
            located at its field.
    """
    out: dict[str, BaseModel] = {}
    for name, given in scenario.layers.items():
        if name not in LAYERS:
            raise scenario.error(("layers", name), LAYERS.unknown(name))
        cls = cast("type[Layer]", LAYERS[name])
        if cls.Config is None:
            raise scenario.error(("layers", name), f"layer {name!r} has no parameters")
        try:
            out[name] = cls.Config.model_validate(given or {})
        except ValidationError as exc:
            err = exc.errors()[0]
            raise scenario.error(("layers", name, *err["loc"]), str(err["msg"])) from None
    return out
