"""The ``institutions`` layer: the global organisations' members and budgets, and the coercive
measures in force, on every date of a simulation.

(The rules-based-order index and legitimacy are the ``order`` layer's,
:mod:`worldorder.security.order_layer`; this layer records the detail behind two of its
components, with the parameters of the model ``rules-based-order``.)

* **organisations**: for each global organisation, its members in force on the date, those
  under notice, those gone (an exit counts from its effective date, from its notice if
  ``notice_counts_as_exit``; the layer sees the clock's dates only, so an exit effective between
  two dates counts from the next one), their GDP-weighted participation
  (:func:`~worldorder.security.institutions.multilateralism`) and the share of its budget lost
  with the members gone (:func:`~worldorder.security.institutions.budget_loss`, assessed basis
  where there is one; NaN when a member left without a funding figure);
* **coercion**: partner-specific duties above the baseline and sanctions in force, by imposer
  (:func:`~worldorder.security.institutions.coercive_measures`).

Tables: ``organizations`` (per date and organisation) and ``coercion`` (per date and imposer).
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
from worldorder.security.config import SecurityModels
from worldorder.security.institutions import (
    baseline_mfn,
    budget_loss,
    coercive_measures,
    funding,
    multilateralism,
)

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["InstitutionsLayer", "InstitutionsState", "membership_key", "memberships_on"]

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
    """What the memberships in force on ``date`` depend on: the exits and entries so far and
    how many of the membership dates have passed (so that the statuses are recomputed only when
    one changes)."""
    m = pol.memberships
    on = "9999-12-31" if date == "undated" else date
    moves = [e.date for e in pol.events if e.kind in ("withdraw", "join")]
    dates = np.concatenate([m["since"].fillna("").astype(str).to_numpy(),
                            m["until"].fillna("").astype(str).to_numpy(),
                            np.array(moves, dtype=str)])
    passed = int(((dates != "") & (dates <= on)).sum())
    return (len(moves), len(m), passed)


@dataclass
class InstitutionsState:
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
class InstitutionsLayer(Layer):
    """Members and budgets of the global organisations, and coercive measures, on every date
    (:mod:`worldorder.security.layer_order`)."""

    name: ClassVar[str] = "institutions"
    summary: ClassVar[str] = "organisations' members and budgets lost, coercive measures"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {"domain": "institutions",
                                                                  "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Ikenberry (2011), Liberal Leviathan",
        "Ruggie (1992), Multilateralism: the anatomy of an institution, IO 46(3)",
        "Bagwell & Staiger (2002), The Economics of the World Trading System",
    )
    priority: ClassVar[int] = 30
    tables: ClassVar[dict[str, pa.Schema]] = {
        "organizations": _schema(("date", _STR), ("organization", _STR), ("members", _I64),
                                 ("under_notice", _I64), ("gone", _STR),
                                 ("participation", _F64), ("budget_share_lost", _F64),
                                 ("budget_basis", _STR)),
        "coercion": _schema(("date", _STR), ("imposer", _STR), ("targets", _I64),
                            ("trade_share", _F64), ("mean_additional", _F64),
                            ("sanctioned", _I64), ("world_trade_share", _F64)),
    }

    def init(self, sim: Context) -> InstitutionsState:
        p = sim.get(SecurityModels).params("rules-based-order")
        mfn, pref = baseline_mfn(sim.world.tariffs, sim.world.trade, tol=float(p["tol"]))
        return InstitutionsState(mfn=mfn, preferential=pref)

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
        gone = status[status["status"].isin(gone_kinds)]
        # one pass over the statuses (a few hundred rows) for every organisation's counts
        in_force: dict[str, list[str]] = {o: [] for o in orgs}
        left: dict[str, list[str]] = {o: [] for o in orgs}
        count = {o: {"member": 0, "notice": 0} for o in orgs}
        for o, e, st in zip(status["organization"], status["economy"], status["status"],
                            strict=True):
            if o not in count:
                continue
            (left if st in gone_kinds else in_force)[o].append(e)
            if st in count[o]:
                count[o][st] += 1
        member = np.zeros((w.n, len(orgs)))
        pos = {c: i for i, c in enumerate(w.codes)}
        for k, o in enumerate(orgs):
            member[[pos[c] for c in in_force[o] if c in pos], k] = 1.0
        mult, part = multilateralism(member, size)
        loss = budget_loss(gone[["organization", "economy"]], funding()) if len(gone) else None
        lost, org_rows = [], []
        for k, o in enumerate(orgs):
            share, basis = 0.0, ""  # nobody gone: nothing lost
            if loss is not None:
                lo = loss[loss["organization"] == o]
                assessed = lo[lo["basis"].astype(str).str.contains("assessed", case=False)]
                use = assessed if len(assessed) else lo
                share = float(use["share_lost"].iloc[0]) if len(use) else 0.0
                if len(use) and str(use["missing"].iloc[0]):
                    share = np.nan  # a member left without a funding figure: skipped
                basis = str(use["basis"].iloc[0]) if len(use) else ""
            lost.append(share)
            org_rows.append({
                "organization": o, "members": count[o]["member"],
                "under_notice": count[o]["notice"], "gone": ",".join(sorted(left[o])),
                "participation": float(part[k]), "budget_share_lost": share,
                "budget_basis": basis})
        return float(mult), lost, org_rows

    def update(self, sim: Context, date: str) -> None:
        p = sim.get(SecurityModels).params("rules-based-order")
        pol = sim.get(PoliticalState)
        state = sim.get(InstitutionsState)
        key = (membership_key(pol, date), repr(p))
        if key != state.key:
            state.key = key
            state.status = memberships_on(pol, date)
            state.members = self._memberships(sim, pol, state.status, p)

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        cfg = sim.get(SecurityModels)
        p = cfg.params("rules-based-order")
        w = sim.world
        trade = sim.get(TradeState)
        state = sim.get(InstitutionsState)
        org_rows = state.members[2]
        tkey = (trade.t.tobytes(), trade.dhat.tobytes(), float(p["tol"]))
        if tkey != state.tkey:
            state.tkey = tkey
            state.trade = (coercive_measures(trade.t, trade.t0, w.trade, w.codes,
                                             dhat=trade.dhat, tol=float(p["tol"])),)
        coer = state.trade[0]
        return {"organizations": pd.DataFrame(org_rows, columns=[
                    "organization", "members", "under_notice", "gone", "participation",
                    "budget_share_lost", "budget_basis"]),
                "coercion": coer}

