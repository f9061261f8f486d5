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
after the date (``agent_payoffs``): its components (:mod:`worldorder.agents.payoffs`: welfare
change against the baseline from the trade model; security, capability against threat, from the
``alliances`` layer; legitimacy, overall and with its allies, from the ``order`` layer;
alignment from the ``alignment`` layer) and ``payoff``, their sum weighted by the agent's
doctrine. The layer runs after the security layers (priority 40), so the components are those
of the date's end.

Each agent draws from its own random stream (``sim.spawn_rng("agent:CODE")``), so results do not
depend on the number or order of agents' draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date as _date
from typing import ClassVar, cast

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator

from worldorder.agents.doctrine import Doctrine
from worldorder.agents.observation import Observation, PastChoice
from worldorder.agents.payoffs import Standing, total
from worldorder.engine.context import Context
from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.politics import PoliticalState
from worldorder.engine.layers.trade import TradeState
from worldorder.engine.queue import Provenance
from worldorder.errors import EngineError
from worldorder.registry import DOCTRINES
from worldorder.security.config import SecurityModels
from worldorder.security.layer_alignment import AlignmentState
from worldorder.security.layer_power import AlliancesState
from worldorder.security.legitimacy import Legitimacy
from worldorder.security.order_layer import OrderState
from worldorder.security.records import as_dict

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
                                    ("welfare_pct", _F64), ("security_pct", _F64),
                                    ("legitimacy_pct", _F64), ("legitimacy_allies_pct", _F64),
                                    ("alignment_pts", _F64), ("payoff", _F64),
                                    ("weights", _STR)]),
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
        self._ratio0: dict[str, float] | None = None
        return AgentsState(doctrines={c: s.build() for c, s in config.agents.items()})

    # -- what the layers say ------------------------------------------------------------------
    @staticmethod
    def _get(sim: Context, kind: type) -> object | None:
        try:
            return sim.get(kind)
        except EngineError:  # a simulation without that layer
            return None

    def standing(self, sim: Context, date: str) -> Standing:
        """The layers' states as the payoff reads them (:class:`~worldorder.agents.payoffs.
        Standing`), now."""
        w = sim.world
        codes = list(w.codes)
        alli = self._get(sim, AlliancesState)
        milex = np.full(w.n, np.nan)
        milex_share = None
        real_income = np.ones(w.n)
        troops: dict[str, float] = {}
        offshore = None
        if isinstance(alli, AlliancesState) and alli.available and len(alli.states):
            st = alli.states
            by = st.groupby("economy")["milex"].sum(min_count=1)
            milex = by.reindex(codes).to_numpy(dtype=float)
            both = st[np.isfinite(st["milex"]) & np.isfinite(st["gdp"]) & (st["gdp"] > 0)]
            sums = both.groupby("economy")[["milex", "gdp"]].sum()
            milex_share = (sums["milex"] / sums["gdp"]).reindex(codes).to_numpy(dtype=float)
            real_income = np.array([alli.factor.get(c, 1.0) for c in codes])
            if "troops" in st.columns:
                troops = {str(k): float(v) for k, v in st.groupby("economy")["troops"].sum()
                          .items()}
            offshore = alli.offshore
        cfg = self._get(sim, SecurityModels)
        default = 0.5
        commitments: dict[str, dict[str, float]] = {}
        theta_b = 0.0
        if isinstance(cfg, SecurityModels):
            default = float(cfg.params("dated-power")["credibility"])
            theta_b = float(cfg.params("alignment")["theta_b"])
            for c in cfg.commitments:
                commitments.setdefault(c.patron, {})[c.ally] = c.credibility
        allies: dict[str, dict[str, float]] = {}
        pairs = w.alliances
        if len(pairs):
            for a, b in zip(pairs["a"].astype(str), pairs["b"].astype(str), strict=True):
                if a in codes and b in codes and a != b:
                    allies.setdefault(a, {})[b] = commitments.get(b, {}).get(a, default)
                    allies.setdefault(b, {})[a] = commitments.get(a, {}).get(b, default)
        order = self._get(sim, OrderState)
        ell: dict[str, np.ndarray] = {}
        legit = None
        gap = 365.0
        if isinstance(order, OrderState):
            ell = {g: v.copy() for g, v in order.log_legitimacy.items()}
            # the order layer's legitimacy model with the parameters in force
            model = cfg.model("legitimacy") if isinstance(cfg, SecurityModels) else None
            legit = model if isinstance(model, Legitimacy) else Legitimacy()
            if order.last_day is not None:
                try:
                    gap = float(max((_date.fromisoformat(date) - order.last_day).days, 0))
                except ValueError:
                    gap = 1.0
        pol = self._get(sim, PoliticalState)
        events = [as_dict(e) for e in pol.events if e.kind in ("withdraw", "strike")] \
            if isinstance(pol, PoliticalState) else []
        threats = list(pol.threats) if isinstance(pol, PoliticalState) else []
        aid = None
        if isinstance(order, OrderState) and isinstance(pol, PoliticalState) \
                and isinstance(cfg, SecurityModels):  # the order layer's aid change
            aid = order.aid(pol.aid, w, cfg.params("aid-cut-pricing"))
        align = self._get(sim, AlignmentState)
        positions = positions0 = None
        if isinstance(align, AlignmentState) and align.available and len(align.baseline):
            base = align.baseline.set_index("economy")["position"]
            positions0 = base.reindex(codes).to_numpy(dtype=float)
            # before the layer's first date: the baseline positions
            positions = np.array([align.positions.get(c, np.nan) for c in codes]) \
                if align.positions else positions0.copy()
        trade = sim.get(TradeState)
        standing = Standing(world=w, milex=milex, real_income=real_income, allies=allies,
                            ratio0={}, log_legitimacy=ell, legitimacy=legit, events=events,
                            threats=threats, aid=aid,
                            on=date, gap_days=gap, positions=positions,
                            positions0=positions0, theta_b=theta_b, t=trade.t.copy(),
                            offshore=offshore, troops=troops, commitments=commitments,
                            milex_share=milex_share)
        if self._ratio0 is None:  # C/T at the baseline: before any agent's choice
            self._ratio0 = {}
            for code in cast("AgentsConfig", self.config).agents:
                c, t = standing.capability_threat(code, milex / real_income)
                self._ratio0[code] = c / t if np.isfinite(c) and np.isfinite(t) and t > 0 \
                    else np.nan
        standing.ratio0 = self._ratio0
        return standing

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
        standing = self.standing(sim, date)
        pol = self._get(sim, PoliticalState)
        memberships, aid = (pol.memberships.copy(), tuple(pol.aid)) \
            if isinstance(pol, PoliticalState) else (None, ())
        choices = []
        for code, doctrine in state.doctrines.items():
            obs = Observation(me=code, date=date, period=state.period, world=sim.world,
                              t=trade.t.copy(), t0=trade.t0, t_previous=t_prev,
                              dhat=dhat, history=tuple(state.history),
                              payoffs=tuple(state.payoffs.get(code, [])), peers=peers,
                              evaluate=evaluate, standing=standing,
                              weights=doctrine.weights_in_force(),
                              memberships=memberships, aid=aid)
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
        after = self.standing(sim, date)
        rows = []
        for code, doctrine in state.doctrines.items():
            idx = [sim.world.index(c) for c in sim.world.expand(code)]
            gdp = sim.world.gdp[idx]
            value = math.fsum(gdp * welfare[idx]) / math.fsum(gdp)  # exactly rounded
            comp = after.realised(code, value, after.milex, after.log_legitimacy,
                                  after.positions)
            weights = doctrine.weights_in_force()
            u = total(comp, weights)
            state.payoffs.setdefault(code, []).append(u)
            rows.append({"agent": code, "doctrine": doctrine.name, "welfare_pct": value,
                         "security_pct": comp["security"],
                         "legitimacy_pct": comp["legitimacy"],
                         "legitimacy_allies_pct": comp["legitimacy_allies"],
                         "alignment_pts": comp["alignment"], "payoff": u,
                         "weights": " ".join(f"{k}={v:g}" for k, v in weights.items())})
        chosen, self._chosen = self._chosen, []
        return {"agent_choices": pd.DataFrame(chosen, columns=["agent", "doctrine", "action",
                                                               "summary", "reason"]),
                "agent_payoffs": pd.DataFrame(rows)}
