"""The agents layer: states that choose their own actions, date after date.

Configured from a scenario's ``layers: {agents: {...}}``::

    layers:
      agents:
        agents:
          USA: {doctrine: america_first, params: {deal_rate: 0.15}}
          CHN: {doctrine: reciprocator}
          EU: {doctrine: middle_power_coalition}
        start: 2026-01-01        # agents act from this date (after a recorded history)

On each date from ``start`` (every ``every``-th date), before the date's queued actions, every
agent observes the same state (:class:`~worldorder.agents.observation.Observation`: the
tariffs in force, who coerced it, everyone's earlier choices, its payoffs so far) and chooses
by its doctrine; the choices are simultaneous (no agent sees another's choice of the same date)
and are pushed onto the date's queue in the agents' order, each with its provenance (the agent
and its reason). The layer records every choice (``agent_choices``) and each agent's payoff
(``agent_payoffs``: its welfare change against the baseline after the date, from the trade
layer's solution, or evaluated when the date was not solved).

Each agent draws from its own random stream (``sim.spawn_rng("agent:CODE")``), so results do not
depend on the number or order of agents' draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as _date
from typing import ClassVar, cast

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator

from worldorder.agents.doctrine import Doctrine
from worldorder.agents.observation import Observation, PastChoice
from worldorder.engine.context import Context
from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.trade import TradeState
from worldorder.engine.queue import Provenance
from worldorder.errors import EngineError
from worldorder.registry import DOCTRINES

__all__ = ["AgentSpec", "AgentsConfig", "AgentsLayer", "AgentsState"]

_STR, _F64 = pa.string(), pa.float64()


class AgentSpec(BaseModel):
    """One agent: its doctrine and the doctrine's parameters."""

    model_config = ConfigDict(extra="forbid")

    doctrine: str
    params: dict[str, object] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known(self) -> AgentSpec:
        if self.doctrine not in DOCTRINES:
            raise ValueError(DOCTRINES.unknown(self.doctrine))
        self.build()  # parameters checked now, with the doctrine's own messages
        return self

    def build(self) -> Doctrine:
        """The doctrine with its parameters."""
        return cast("type[Doctrine]", DOCTRINES[self.doctrine]).model_validate(self.params)


class AgentsConfig(BaseModel):
    """Parameters of the agents layer."""

    model_config = ConfigDict(extra="forbid")

    agents: dict[str, AgentSpec] = Field(default_factory=dict)
    start: _date | None = None
    every: int = Field(default=1, ge=1)


@dataclass
class AgentsState:
    """The agents, their doctrines and what they did."""

    doctrines: dict[str, Doctrine]
    history: list[PastChoice] = field(default_factory=list)
    payoffs: dict[str, list[float]] = field(default_factory=dict)
    t_previous: np.ndarray | None = None
    period: int = 0


@register_layer
class AgentsLayer(Layer):
    """States that choose their actions by their doctrines (see the module docstring)."""

    name: ClassVar[str] = "agents"
    summary: ClassVar[str] = "states choosing their actions by doctrines, every period"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {"domain": "agents",
                                                                  "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Axelrod (1984), The Evolution of Cooperation",
        "Kazil, Masad & Crooks (2020), 'Utilizing Python for Agent-Based Modeling: The Mesa "
        "Framework'",
    )
    priority: ClassVar[int] = 40
    tables: ClassVar[dict[str, pa.Schema]] = {
        "agent_choices": pa.schema([("date", _STR), ("agent", _STR), ("doctrine", _STR),
                                    ("action", _STR), ("summary", _STR), ("reason", _STR)]),
        "agent_payoffs": pa.schema([("date", _STR), ("agent", _STR), ("doctrine", _STR),
                                    ("welfare_pct", _F64)]),
    }
    Config: ClassVar[type[BaseModel] | None] = AgentsConfig

    def init(self, sim: Context) -> AgentsState:
        config = cast("AgentsConfig", self.config)
        for code in config.agents:
            if not sim.world.is_known(code):
                raise EngineError(f"agent {code!r} is not an economy or group of dataset "
                                  f"{sim.world.name!r}")
        self._rngs = {code: sim.spawn_rng(f"agent:{code}") for code in config.agents}
        self._chosen: list[dict[str, str]] = []
        self._eligible = 0
        self._acting = False
        return AgentsState(doctrines={c: s.build() for c, s in config.agents.items()})

    def _turn(self, date: str) -> bool:
        """Whether agents choose on ``date``: from ``start``, on every ``every``-th date."""
        config = cast("AgentsConfig", self.config)
        if not config.agents or date == "undated":
            return False
        if config.start is not None and date < config.start.isoformat():
            return False
        k, self._eligible = self._eligible, self._eligible + 1
        return k % config.every == 0

    def begin(self, sim: Context, date: str) -> None:
        self._acting = self._turn(date)
        if not self._acting:
            return
        state = sim.get(AgentsState)
        trade = sim.get(TradeState)
        # at the first choice nothing has happened "since the previous one"
        t_prev = state.t_previous if state.t_previous is not None else trade.t.copy()
        dhat = trade.dhat_or_none()
        evaluator = sim.evaluator()

        def evaluate(t: np.ndarray) -> np.ndarray:
            return 100.0 * (evaluator.welfare(t, dhat) - 1.0)

        peers = {c: d.name for c, d in state.doctrines.items()}
        choices = []
        for code, doctrine in state.doctrines.items():
            obs = Observation(me=code, date=date, period=state.period, world=sim.world,
                              t=trade.t.copy(), t0=trade.t0, t_previous=t_prev,
                              dhat=dhat, history=tuple(state.history),
                              payoffs=tuple(state.payoffs.get(code, [])), peers=peers,
                              evaluate=evaluate)
            choices += [(code, doctrine, c) for c in doctrine.choose(obs, self._rngs[code])]
        for code, doctrine, choice in choices:
            sim.push(choice.action, Provenance(date=date, origin="agent", agent=code,
                                               note=choice.reason))
            state.history.append(PastChoice(date=date, agent=code, action=choice.action.name,
                                            targets=tuple(choice.action.involved()),
                                            reason=choice.reason))
            self._chosen.append({"agent": code, "doctrine": doctrine.name,
                                 "action": choice.action.name,
                                 "summary": choice.action.describe(), "reason": choice.reason})
        state.t_previous = trade.t.copy()
        state.period += 1

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        if not self._acting:
            return {}
        state = sim.get(AgentsState)
        trade = sim.get(TradeState)
        welfare = 100.0 * (sim.evaluator().welfare(trade.t, trade.dhat_or_none()) - 1.0)
        rows = []
        for code, doctrine in state.doctrines.items():
            idx = [sim.world.index(c) for c in sim.world.expand(code)]
            gdp = sim.world.gdp[idx]
            value = float((gdp * welfare[idx]).sum() / gdp.sum())
            state.payoffs.setdefault(code, []).append(value)
            rows.append({"agent": code, "doctrine": doctrine.name, "welfare_pct": value})
        chosen, self._chosen = self._chosen, []
        return {"agent_choices": pd.DataFrame(chosen, columns=["agent", "doctrine", "action",
                                                               "summary", "reason"]),
                "agent_payoffs": pd.DataFrame(rows)}
