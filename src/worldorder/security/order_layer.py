"""The layer ``order``: the rules-based-order indices and great powers' legitimacy, on every
date of a simulation.

After each date's actions (priority 20: after the trade model and the political state) the
layer reads the tariffs in force (:class:`~worldorder.engine.layers.trade.TradeState`), the
memberships and the records of exits and strikes
(:class:`~worldorder.engine.layers.politics.PoliticalState`), and

* computes the components of :class:`~worldorder.security.institutions.RulesBasedOrder` and its
  index (table ``order_index``);
* updates each great power's legitimacy with every economy by the rule of
  :class:`~worldorder.security.legitimacy.Legitimacy` (ℓ' = λ ℓ − (1 − λ) x, λ = e^{−Δ/τ};
  table ``legitimacy``); the pressure counts the US aid withdrawn against the base year
  (:func:`~worldorder.security.aid.aid_change` of the aid records so far, priced with the
  ``aid-cut-pricing`` model's parameters as the ``aid`` and ``alignment`` layers price them;
  weight ``aid_weight``). Its state, :class:`OrderState`, holds ℓ per power and economy, so that
  an agent or an action can read a power's legitimacy with ``sim.get(OrderState)``; it also
  publishes R to ``PoliticalState.legitimacy`` (``{power: {economy: R}}``), where steps of the
  layers below read it (the ``coalition`` step with ``legitimacy: state``).

Parameters: one store, :class:`~worldorder.security.config.SecurityModels` (the registered
models' parameters in force, which ``security_params`` steps change from a date on: e.g.
``security_params: {model: legitimacy, params: {tau_days: 30}}``). A scenario's ``layers:``
section, e.g. ``layers: {order: {powers: [USA], tau_days: 180, weights: {mfn: 2,
multilateralism: 1, non_coercion: 1, institutions_intact: 1}}}`` (:class:`OrderConfig`), is a
shorthand that sets the ``legitimacy`` and ``rules-based-order`` models' parameters it names at
the start of the run (``powers`` is the layer's own); the defaults are the models' own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, field_validator

from worldorder.engine.context import Context
from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.politics import PoliticalState
from worldorder.engine.layers.trade import TradeState
from worldorder.security.alignment import AidChanges
from worldorder.security.config import ModelsInForce, SecurityModels
from worldorder.security.institutions import (
    GLOBAL_ORGANIZATIONS,
    RulesBasedOrder,
    baseline_mfn,
    funding,
)
from worldorder.security.legitimacy import Legitimacy, legitimacy_step
from worldorder.security.records import as_dict

__all__ = ["OrderLayer", "OrderState"]

_S, _F, _I = pa.string(), pa.float64(), pa.int64()


@dataclass
class OrderState:
    """What the ``order`` layer carries from one date to the next.

    Attributes:
        powers: The great powers whose legitimacy is followed.
        mfn, preferential: Each importer's MFN rate and its preferences at the baseline.
        log_legitimacy: ℓ per power: an array over the World's economies (0 = the baseline).
        last_day: The last date processed (None before the first).
        index: The order's components and index on the last date.
    """

    powers: tuple[str, ...]
    mfn: np.ndarray
    preferential: np.ndarray
    log_legitimacy: dict[str, np.ndarray]
    last_day: dt.date | None = None
    index: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    spells: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    spells_key: tuple[int | str, ...] | None = None
    aid: AidChanges = field(default_factory=AidChanges)

    def legitimacy(self, power: str) -> np.ndarray:
        """R = exp(ℓ) of ``power`` with every economy (1 = the baseline)."""
        return np.exp(self.log_legitimacy[power])


def _day(date: str, year: int) -> tuple[dt.date, str]:
    """The calendar day of a clock date; an undated scenario stands at the end of the data
    year."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        day = dt.date(year, 12, 31)
    return day, day.isoformat()


def _spells(pol: PoliticalState, organizations: list[str]) -> list[tuple[str, str, str, str,
                                                                        str]]:
    """(economy, organization, since, until, notice) of the organisations followed."""
    orgs = set(organizations)
    notices = {(c, e.organization): e.date for e in pol.events if e.kind == "withdraw"
               for c in e.parties}
    m = pol.memberships[["economy", "organization", "since", "until"]].to_numpy(dtype=object)
    out = []
    for econ, org, since, until in m.tolist():
        if org not in orgs:
            continue
        since = "" if since is None or since != since else str(since)
        until = "" if until is None or until != until else str(until)
        out.append((econ, org, since, until, notices.get((econ, org), "9999")))
    return out


def _statuses(spells: list[tuple[str, str, str, str, str]], on: str
              ) -> list[tuple[str, str, str]]:
    """(economy, organization, status) on ``on`` (as
    :func:`~worldorder.security.institutions.membership_panel`, for one date)."""
    rank = {"left": 0, "notice": 1, "member": 2}
    best: dict[tuple[str, str], str] = {}
    for econ, org, since, until, notice in spells:
        if since and since > on:
            continue
        if until and until <= on:
            status = "left"
        elif notice <= on:
            status = "notice"
        else:
            status = "member"
        key = (econ, org)
        if key not in best or rank[status] > rank[best[key]]:
            best[key] = status
    return [(e, o, s) for (e, o), s in best.items()]


class OrderConfig(BaseModel):
    """Parameters of the ``order`` layer (see :class:`~worldorder.security.institutions.
    RulesBasedOrder` and :class:`~worldorder.security.legitimacy.Legitimacy`)."""

    model_config = ConfigDict(extra="forbid")

    powers: list[str] = Field(default_factory=lambda: ["USA", "CHN"],
                              description="great powers whose legitimacy is followed (those not in "
                                          "the dataset are skipped, with a warning when "
                                          "named in the scenario)")
    weights: dict[str, float] = Field(
        default_factory=lambda: dict(RulesBasedOrder.defaults["weights"]),
        description="weights of the order index's components")
    organizations: list[str] = Field(default_factory=lambda: list(GLOBAL_ORGANIZATIONS))
    notice_counts_as_exit: bool = False
    a: float = Field(default=Legitimacy.defaults["a"], ge=0.0)
    b: float = Field(default=Legitimacy.defaults["b"], ge=0.0)
    c: float = Field(default=Legitimacy.defaults["c"], ge=0.0)
    b_minor: float = Field(default=Legitimacy.defaults["b_minor"], ge=0.0,
                           description="legitimacy pressure per organisation left other than "
                                       "the global bodies (UN, WTO, WHO, PARIS, UNESCO, "
                                       "UNHRC, ICC)")
    d_threat: float = Field(default=Legitimacy.defaults["d_threat"], ge=0.0,
                            description="weight of a threat's expected burden (1 = as if real)")
    tau_days: float = Field(default=Legitimacy.defaults["tau_days"], gt=0.0)
    aid_weight: float = Field(default=Legitimacy.defaults["aid_weight"], ge=0.0,
                              description="weight of US aid withdrawn (in % of the recipient's "
                                          "GDP) against a duty's burden (1 = alike, 0 = off)")

    @field_validator("weights")
    @classmethod
    def _components(cls, v: dict[str, float]) -> dict[str, float]:
        want = set(RulesBasedOrder.defaults["weights"])
        if set(v) != want or any(x < 0 for x in v.values()) or sum(v.values()) <= 0:
            raise ValueError(f"weights must give each of {', '.join(sorted(want))} a "
                             "non-negative weight (not all zero)")
        return v


@register_layer
class OrderLayer(ModelsInForce, Layer):
    """Rules-based-order indices and great powers' legitimacy on every date (module
    docstring)."""

    name: ClassVar[str] = "order"
    summary: ClassVar[str] = "rules-based-order indices and great powers' legitimacy by date"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {
        "domain": "institutions", "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        *RulesBasedOrder.references, *Legitimacy.references)
    priority: ClassVar[int] = 20
    tables: ClassVar[dict[str, pa.Schema]] = {
        "order_index": pa.schema([("date", _S), ("multilateralism", _F), ("mfn", _F),
                                  ("non_coercion", _F), ("institutions_intact", _F),
                                  ("index", _F), ("coercive_imposers", _S)]),
        "legitimacy": pa.schema([("date", _S), ("power", _S), ("economy", _S),
                                 ("burden_pct_gdp", _F), ("exits", _I), ("strikes", _I),
                                 ("pressure", _F), ("legitimacy", _F)]),
    }
    Config: ClassVar[type[BaseModel] | None] = OrderConfig


    def _refresh(self, sim: Context) -> None:
        """The models with the parameters in force on this date."""
        store = self._store(sim)
        order, legit = store.model("rules-based-order"), store.model("legitimacy")
        assert isinstance(order, RulesBasedOrder) and isinstance(legit, Legitimacy)
        self._order, self._legit = order, legit

    def init(self, sim: Context) -> OrderState:
        w = sim.world
        self._models: SecurityModels | None = None
        cfg = self.config if isinstance(self.config, OrderConfig) else OrderConfig()
        given = cfg.model_fields_set
        store = self._store(sim)
        order = {k: (tuple(v) if k == "organizations" else v)
                 for k, v in (("weights", cfg.weights), ("organizations", cfg.organizations),
                              ("notice_counts_as_exit", cfg.notice_counts_as_exit))
                 if k in given}
        if order:
            store.set("layers: order", "rules-based-order", order)
        legit = {k: getattr(cfg, k) for k in ("a", "b", "c", "tau_days", "b_minor", "d_threat",
                                                   "aid_weight")
                 if k in given}
        if legit:
            store.set("layers: order", "legitimacy", legit)
        self._refresh(sim)
        self._shares = funding()
        mfn, pref = baseline_mfn(w.tariffs, w.trade, tol=self._order.params["tol"])
        missing = [g for g in cfg.powers if g not in w.codes]
        if missing and "powers" in cfg.model_fields_set:
            sim.warnings.append(f"layer 'order': {', '.join(missing)} not in dataset "
                                f"{w.name!r}; their legitimacy is not followed")
        powers = tuple(g for g in cfg.powers if g in w.codes)
        listed = set(w.memberships["organization"]) if len(w.memberships) else set()
        if not listed & set(cfg.organizations):
            sim.warnings.append(f"layer 'order': dataset {w.name!r} lists no membership of "
                                f"{', '.join(cfg.organizations)}: multilateralism and "
                                "institutions_intact are missing (NaN) and left out of the "
                                "order index")
        return OrderState(powers=powers, mfn=mfn, preferential=pref,
                          log_legitimacy={g: np.zeros(w.n) for g in powers})

    def update(self, sim: Context, date: str) -> None:
        w = sim.world
        st = sim.get(OrderState)
        self._refresh(sim)
        trade = sim.get(TradeState)
        t = trade.t
        pol = sim.get(PoliticalState)
        day, on = _day(date, w.year)
        orgs = list(self._order.params["organizations"])
        key = (id(pol.memberships), len(pol.memberships), len(pol.events), *orgs)
        if key != st.spells_key:  # memberships change only with exits and entries (events)
            st.spells = _spells(pol, orgs)
            st.spells_key = key
        statuses = _statuses(st.spells, on)
        st.index = self._order.components(w, t, statuses, st.mfn, st.preferential,
                                          self._shares, dhat=trade.dhat)
        gap = 1.0 if st.last_day is None else float(max((day - st.last_day).days, 0))
        events = [as_dict(e) for e in pol.events if e.kind in ("withdraw", "strike")]
        st.rows = []
        aid = st.aid(pol.aid, w, self._store(sim).params("aid-cut-pricing"))
        for g in st.powers:
            burden, exits, strikes, x = self._legit.pressure(w, t, events, g, on, pol.threats,
                                                             aid if g == "USA" else None)
            st.log_legitimacy[g] = legitimacy_step(st.log_legitimacy[g], x, gap,
                                                   self._legit.params["tau_days"])
            r = st.legitimacy(g)
            st.rows += [{"power": g, "economy": c, "burden_pct_gdp": float(burden[k]),
                         "exits": int(exits), "strikes": int(strikes.get(c, 0)),
                         "pressure": float(x[k]), "legitimacy": float(r[k])}
                        for k, c in enumerate(w.codes) if c != g]
            pol.legitimacy[g] = {c: float(r[k]) for k, c in enumerate(w.codes) if c != g}
        st.last_day = day

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        st = sim.get(OrderState)
        cols = [f.name for f in self.tables["order_index"] if f.name != "date"]
        idx = pd.DataFrame([{k: st.index[k] for k in cols}])
        leg = pd.DataFrame(st.rows, columns=[f.name for f in self.tables["legitimacy"]
                                             if f.name != "date"])
        return {"order_index": idx, "legitimacy": leg}
