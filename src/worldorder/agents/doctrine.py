"""Doctrines: how a state chooses its foreign-economic policy, period after period.

In the pattern of the Axelrod library's strategies, each doctrine is a small registered class
(:data:`~worldorder.registry.DOCTRINES`) with a ``name``, a ``classifier`` (stance, the
instruments it uses, how many periods it remembers, whether it is stochastic), ``references``
in its docstring and its parameters as pydantic fields with defaults (overridable from a
scenario's ``layers: {agents: {...}}``). One method, :meth:`Doctrine.choose`, reads an
:class:`~worldorder.agents.observation.Observation` and returns the actions the state takes,
each with its reason. A doctrine only returns registered actions (checked by the shared test
harness in ``tests/agents/test_doctrines.py``).

Every doctrine is an assumption about behaviour, not an estimate: its rule is written in its
docstring and its parameters are visible and changeable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, cast

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from worldorder.agents.observation import Observation
from worldorder.agents.payoffs import check_weights
from worldorder.engine.action import Action
from worldorder.registry import ACTIONS, DOCTRINES

__all__ = ["Choice", "Doctrine", "make_action", "register_doctrine"]


@dataclass(frozen=True)
class Choice:
    """An action an agent takes, and why (recorded with the action's provenance)."""

    action: Action
    reason: str


def make_action(name: str, **fields: object) -> Action:
    """A registered action from its scenario name and fields (validated)."""
    return cast("type[Action]", ACTIONS[name]).model_validate(fields)


class Doctrine(BaseModel):
    """Base class of doctrines; its pydantic fields are the doctrine's parameters.

    Class attributes:
        name: Registry name (``reciprocator``).
        summary: One line.
        classifier: ``stance`` (liberal, transactional, autonomy, reciprocal, accommodating,
            revisionist, ...), ``instruments`` (the actions it may return), ``memory`` (periods
            it looks back; 0 = none), ``stochastic`` (uses its random stream).
        references: Where the behaviour comes from.
        payoff_weights: The doctrine's weights ω of the payoff's components (welfare,
            security, legitimacy, alignment: :mod:`worldorder.agents.payoffs`), an assumption
            stated with each doctrine; a scenario overrides any of them with the parameter
            ``weights`` (``params: {weights: {security: 0.5}}``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {}
    references: ClassVar[tuple[str, ...]] = ()
    payoff_weights: ClassVar[dict[str, float]] = {"welfare": 1.0, "security": 0.0,
                                                  "legitimacy": 0.0, "alignment": 0.0}

    weights: dict[str, float] = Field(default_factory=dict, description=(
        "payoff weights overriding the doctrine's (welfare, security, legitimacy, alignment)"))

    @field_validator("weights")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        return check_weights(v)

    def weights_in_force(self) -> dict[str, float]:
        """The doctrine's payoff weights with the scenario's overrides."""
        return {**self.payoff_weights, **self.weights}

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        """The actions to take on ``obs.date`` (possibly none)."""
        raise NotImplementedError


def register_doctrine(cls: type[Doctrine]) -> type[Doctrine]:
    """Class decorator: make a doctrine available to scenarios under ``cls.name``."""
    return DOCTRINES.register(cls)
