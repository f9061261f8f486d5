"""The ``order`` layer: how rules-based the order is on every date of a simulation.

On each date, with the model ``rules-based-order`` (:class:`~worldorder.security.institutions.
RulesBasedOrder`, its parameters in force):

* **multilateralism**: GDP- (or trade-) weighted participation in the global organisations,
  from the politics layer's memberships in force on the date (an exit counts from its effective
  date; from its notice if ``notice_counts_as_exit``), so ``withdraw`` and ``join`` move it
  (:func:`~worldorder.security.institutions.multilateralism`);
* **MFN consistency**: the share of world trade (baseline flows) at non-discriminatory rates,
  from the trade layer's tariffs in force ``TradeState.t``, MFN rates and preferences read off
  the baseline (:func:`~worldorder.security.institutions.mfn_consistency`);
* **non-coercion**: 1 − the share of world trade under coercive measures in force
  (partner-specific duties above the baseline, sanctions as trade-cost increases;
  :func:`~worldorder.security.institutions.coercive_measures`);
* **institutions intact**: 1 − the mean share of the global organisations' budgets lost to the
  exits in effect (:func:`~worldorder.security.institutions.budget_loss`, assessed basis where
  there is one; organisations without a funding figure for a member that left are skipped);
* the composite ``index`` = their weighted mean (:func:`~worldorder.security.institutions.
  order_index`), its components beside it.

Tables: ``order_index`` (one row per date), ``organizations`` (per date and organisation:
members, members under notice, members gone, GDP-weighted participation, budget share lost) and
``coercion`` (per date and imposer: the coercive measures in force).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa

from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.politics import PoliticalState
from worldorder.engine.layers.trade import TradeState
from worldorder.security.config import SecurityConfig
from worldorder.security.institutions import (
    baseline_mfn,
    budget_loss,
    coercive_measures,
    funding,
    mfn_consistency,
    multilateralism,
    order_index,
)

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["OrderLayer", "OrderState", "membership_key", "memberships_on"]

_STR, _F64, _I64 = pa.string(), pa.float64(), pa.int64()
COMPONENTS = ("multilateralism", "mfn", "non_coercion", "institutions_intact")


def memberships_on(pol: PoliticalState, date: str) -> pd.DataFrame:
    """``economy, organization, status`` on ``date``: ``member``, ``notice`` (notice given,
    exit not yet effective) or ``left`` (exit effective), for every spell started by then."""
    m = pol.memberships[["economy", "organization", "since", "until"]].fillna("").astype(str)
    on = "9999-12-31" if date == "undated" else date
    notices = {(c, e.organization): e.date for e in pol.events if e.kind == "withdraw"
               for c in e.parties if e.date <= on}
    m = m[(m["since"] == "") | (m["since"] <= on)]
    left = (m["until"] != "") & (m["until"] <= on)
    noticed = np.array([(c, o) in notices for c, o in zip(m["economy"], m["organization"],
                                                          strict=True)], dtype=bool)
    status = np.where(left, "left", np.where(noticed & (m["until"] != ""), "notice",
                                             "member"))
    out = m.assign(status=status)[["economy", "organization", "status"]]
    rank = out["status"].map({"left": 0, "notice": 1, "member": 2})
    return out.assign(_k=rank).sort_values("_k").drop_duplicates(
        ["economy", "organization"], keep="last").drop(columns="_k")


def membership_key(pol: PoliticalState, date: str) -> tuple:
    """What the memberships in force on ``date`` depend on: the records so far and how many
    of the membership dates have passed (so that the statuses are recomputed only when one
    changes)."""
    m = pol.memberships
    on = "9999-12-31" if date == "undated" else date
    dates = np.concatenate([m["since"].fillna("").astype(str).to_numpy(),
                            m["until"].fillna("").astype(str).to_numpy(),
                            np.array([e.date for e in pol.events], dtype=str)])
    passed = int(((dates != "") & (dates <= on)).sum())
    return (len(pol.events), len(m), passed)


@dataclass
class OrderState:
    """The order indices on the date last processed (components, index), the memberships'
    statuses on that date (:func:`memberships_on`), and the baseline's MFN rates and
    preferential pairs (read once)."""

    mfn: np.ndarray
    preferential: np.ndarray
    current: dict[str, float] = field(default_factory=dict)
    key: tuple = ()
    members: tuple = ()
    tkey: tuple = ()
    trade: tuple = ()
    status: pd.DataFrame = field(default_factory=pd.DataFrame)


def _schema(*cols: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(n, t) for n, t in cols])


@register_layer
class OrderLayer(Layer):
    """The rules-based-order indices on every date (:mod:`worldorder.security.layer_order`)."""

    name: ClassVar[str] = "order"
    summary: ClassVar[str] = "multilateralism, MFN consistency, coercion, budgets, order index"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {"domain": "institutions",
                                                                  "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Ikenberry (2011), Liberal Leviathan",
        "Ruggie (1992), Multilateralism: the anatomy of an institution, IO 46(3)",
        "Bagwell & Staiger (2002), The Economics of the World Trading System",
    )
    priority: ClassVar[int] = 30
    tables: ClassVar[dict[str, pa.Schema]] = {
        "order_index": _schema(("date", _STR), *[(c, _F64) for c in COMPONENTS],
                               ("index", _F64), ("weights", _STR),
                               ("coercive_imposers", _STR)),
        "organizations": _schema(("date", _STR), ("organization", _STR), ("members", _I64),
                                 ("under_notice", _I64), ("gone", _STR),
                                 ("participation", _F64), ("budget_share_lost", _F64),
                                 ("budget_basis", _STR)),
        "coercion": _schema(("date", _STR), ("imposer", _STR), ("targets", _I64),
                            ("trade_share", _F64), ("mean_additional", _F64),
                            ("sanctioned", _I64), ("world_trade_share", _F64)),
    }

    def init(self, sim: Context) -> OrderState:
        p = sim.get(SecurityConfig).params("rules-based-order")
        mfn, pref = baseline_mfn(sim.world.tariffs, sim.world.trade, tol=float(p["tol"]))
        return OrderState(mfn=mfn, preferential=pref)

    @staticmethod
    def _memberships(sim: Context, pol: PoliticalState, status: pd.DataFrame, p: dict
                     ) -> tuple[float, list[float], list[dict]]:
        """Multilateralism, budget shares lost and the per-organisation rows, from the
        statuses of :func:`memberships_on`."""
        w = sim.world
        known = set(pol.memberships["organization"])
        orgs = [o for o in p["organizations"] if o in known]
        if not orgs:
            return float("nan"), [], []
        size = w.gdp if p["size"] == "gdp" else (w.imports + w.exports)
        gone_kinds = ("left", "notice") if p["notice_counts_as_exit"] else ("left",)
        in_force = status[~status["status"].isin(gone_kinds)]
        gone = status[status["status"].isin(gone_kinds)]
        member = np.zeros((w.n, len(orgs)))
        pos = {c: i for i, c in enumerate(w.codes)}
        for k, o in enumerate(orgs):
            codes = in_force.loc[in_force["organization"] == o, "economy"]
            member[[pos[c] for c in codes if c in pos], k] = 1.0
        mult, part = multilateralism(member, size)
        loss = budget_loss(gone[["organization", "economy"]], funding()) if len(gone) \
            else pd.DataFrame(columns=["organization", "basis", "share_lost", "missing"])
        lost, org_rows = [], []
        for k, o in enumerate(orgs):
            lo = loss[loss["organization"] == o]
            assessed = lo[lo["basis"].astype(str).str.contains("assessed", case=False)]
            use = assessed if len(assessed) else lo
            share = float(use["share_lost"].iloc[0]) if len(use) else 0.0
            if len(use) and str(use["missing"].iloc[0]):
                share = np.nan  # a member left without a funding figure: skipped
            lost.append(share)
            sub = status[status["organization"] == o]
            org_rows.append({
                "organization": o, "members": int((sub["status"] == "member").sum()),
                "under_notice": int((sub["status"] == "notice").sum()),
                "gone": ",".join(sorted(gone.loc[gone["organization"] == o, "economy"])),
                "participation": float(part[k]), "budget_share_lost": share,
                "budget_basis": str(use["basis"].iloc[0]) if len(use) else ""})
        return float(mult), lost, org_rows

    def update(self, sim: Context, date: str) -> None:
        p = sim.get(SecurityConfig).params("rules-based-order")
        pol = sim.get(PoliticalState)
        state = sim.get(OrderState)
        key = (membership_key(pol, date), repr(p))
        if key != state.key:
            state.key = key
            state.status = memberships_on(pol, date)
            state.members = self._memberships(sim, pol, state.status, p)

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        cfg = sim.get(SecurityConfig)
        p = cfg.params("rules-based-order")
        w = sim.world
        trade = sim.get(TradeState)
        state = sim.get(OrderState)
        mult, lost, org_rows = state.members
        tkey = (trade.t.tobytes(), trade.dhat.tobytes(), float(p["tol"]))
        if tkey != state.tkey:
            state.tkey = tkey
            state.trade = (
                coercive_measures(trade.t, trade.t0, w.trade, w.codes, dhat=trade.dhat,
                                  tol=float(p["tol"])),
                mfn_consistency(trade.t, w.trade, state.mfn, preferential=state.preferential,
                                tol=float(p["tol"])))
        coer, mfn = state.trade
        comp = {"multilateralism": float(mult), "mfn": mfn,
                "non_coercion": max(1.0 - float(coer["world_trade_share"].sum()), 0.0),
                "institutions_intact": 1.0 - (float(np.nanmean(lost))
                                              if lost and not np.isnan(lost).all() else 0.0)}
        weights = {c: float(v) for c, v in dict(p["weights"]).items()}
        usable = {c: v for c, v in comp.items() if np.isfinite(v)}
        wts = {c: weights.get(c, 0.0) for c in usable}
        index = order_index(usable, wts) if sum(wts.values()) > 0 else np.nan
        state.current = {**comp, "index": index}
        row = {**comp, "index": index,
               "weights": ", ".join(f"{c}={weights.get(c, 0.0):g}" for c in COMPONENTS),
               "coercive_imposers": ",".join(coer["imposer"])}
        return {"order_index": pd.DataFrame([row]),
                "organizations": pd.DataFrame(org_rows, columns=[
                    "organization", "members", "under_notice", "gone", "participation",
                    "budget_share_lost", "budget_basis"]),
                "coercion": coer}

