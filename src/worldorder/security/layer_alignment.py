"""The ``alignment`` layer: each economy's position between the US and China on every date.

With the model ``alignment`` (:class:`~worldorder.security.alignment.Alignment`, its
parameters in force) each economy has four component positions in [−1, 1] (−1 with China, +1
with the US): UNGA voting (session ``unga_year``, held), defence pacts (ATOP ``defence_year``,
held), **trade dependence** on the date (trade with each power over GDP, from the flows of the
trade layer's latest solved date; the baseline flows before any) and **memberships** of the
US-led and China-led clubs in force on the date (``join``/``withdraw`` move it). The position is
their weighted mean, then moved by the rule of
:func:`~worldorder.security.alignment.move_alignment`: coercion pushes away from the coercer and
deals pull towards it,

    p' = clip(p + θ_B (B_CN − B_US) + θ_D (D_US − D_CN) + θ_A (A_US − A_CN), −1, 1),

``B`` the discriminatory burden of each power's duties in force on the economy (% of GDP),
``D`` = 1 once the economy (or a group it belongs to) has a deal with the power on the record
(``tariff_deal`` pledges), ``A`` the change of the power's aid to the economy against the base
year in % of its GDP after the aid records so far (``aid_cut``, ``aid_restore``, ``aid_give``;
priced with the ``aid-cut-pricing`` model's parameters, as the ``aid`` layer does:
:func:`~worldorder.security.aid.aid_change`; θ_A = θ_B unless ``theta_a`` is set; no
Chinese aid panel, so A_CN = 0). Hedging ``H = ½(1 − |p'|) + ½ s`` (``s`` the dispersion of the
components). Blocs (k-means on the components, :func:`~worldorder.security.alignment.blocs`) are
formed from this table where they are shown (``worldorder security alignment``, the report), not
on every date.

Table ``alignment``: one row per date and economy, with the baseline position and trade
dependence beside the date's (for the before/after scatter of the report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa

from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.politics import PoliticalState
from worldorder.engine.layers.trade import TradeState
from worldorder.errors import EngineError, PanelError, SecurityModelError
from worldorder.security.alignment import (
    COMPONENTS,
    AidChanges,
    alignment_table,
    defence_component,
    move_alignment,
    trade_component,
    unga_component,
)
from worldorder.security.config import SecurityModels
from worldorder.security.layer_order import InstitutionsState, membership_key, memberships_on
from worldorder.security.legitimacy import discrimination_burden

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["AlignmentLayer", "AlignmentState", "club_positions"]

_STR, _F64 = pa.string(), pa.float64()


def club_positions(live: pd.DataFrame, known: Iterable[str], codes: list[str],
                   us_clubs: Iterable[str], cn_clubs: Iterable[str]) -> pd.DataFrame:
    """``economy, membership``: the share of the US-led clubs an economy belongs to less the
    share of the China-led ones, as :func:`~worldorder.security.alignment.
    membership_component`, from the memberships in force ``live`` (``economy,
    organization``); NaN when ``known`` (the organisations of the dataset's memberships) lacks
    one of the clubs."""
    us, cn = list(us_clubs), list(cn_clubs)
    if not us or not cn or not set(us + cn) <= set(known):
        return pd.DataFrame({"economy": codes, "membership": np.nan})
    n_us = live[live["organization"].isin(us)].groupby("economy").size()
    n_cn = live[live["organization"].isin(cn)].groupby("economy").size()
    d = (n_us.reindex(codes).fillna(0.0) / len(us) - n_cn.reindex(codes).fillna(0.0) / len(cn))
    return pd.DataFrame({"economy": codes, "membership": d.to_numpy()})


@dataclass
class AlignmentState:
    """Held components (UNGA, defence), the baseline table, the flows in use and the last blocs.

    Attributes:
        fixed: ``economy, unga, ideal_point, defence`` (NaN where no data).
        baseline: ``economy, trade, dep_us, dep_cn, position`` before the scenario.
        flows: The trade matrix in use (baseline flows until the first solve).
        positions: ``economy -> position`` on the date last processed.
    """

    fixed: pd.DataFrame
    baseline: pd.DataFrame
    flows: np.ndarray
    positions: dict[str, float] = field(default_factory=dict)
    available: bool = True
    aid_us: np.ndarray | None = None
    aid: AidChanges = field(default_factory=AidChanges)
    _mem_key: tuple = ()
    _key: tuple = ()

    @staticmethod
    def status_of(sim: Context, on: str) -> pd.DataFrame:
        """Membership statuses on ``on``: the order layer's for the date being processed
        (computed once per date), else computed here."""
        try:
            order = sim.get(InstitutionsState)
        except EngineError:
            order = None
        if order is not None and sim.date == on and len(order.status):
            return order.status
        return memberships_on(sim.get(PoliticalState), on)
    _mem: pd.DataFrame = field(default_factory=pd.DataFrame)


@register_layer
class AlignmentLayer(Layer):
    """Positions between the US and China, hedging and blocs on every date
    (:mod:`worldorder.security.layer_alignment`)."""

    name: ClassVar[str] = "alignment"
    summary: ClassVar[str] = "position between the US and China, hedging and blocs, by date"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {"domain": "alignment",
                                                                  "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Bailey, Strezhnev & Voeten (2017), JCR 61(2)",
        "Hirschman (1945), National Power and the Structure of Foreign Trade",
        "Kuik (2008), The essence of hedging, Contemporary Southeast Asia 30(2)",
        "Drezner (1999), The Sanctions Paradox",
    )
    priority: ClassVar[int] = 40
    tables: ClassVar[dict[str, pa.Schema]] = {
        "alignment": pa.schema([
            ("date", _STR), ("economy", _STR), ("unga", _F64), ("ideal_point", _F64),
            ("defence", _F64), ("trade", _F64), ("membership", _F64), ("dep_us", _F64),
            ("dep_cn", _F64), ("burden_us", _F64), ("burden_cn", _F64), ("deal_us", _F64),
            ("deal_cn", _F64), ("aid_us", _F64), ("aid_cn", _F64),
            ("position_components", _F64), ("position", _F64),
            ("hedging", _F64), ("position_baseline", _F64),
            ("trade_baseline", _F64), ("dep_us_baseline", _F64), ("dep_cn_baseline", _F64)]),
    }

    def init(self, sim: Context) -> AlignmentState:
        w = sim.world
        empty = pd.DataFrame(columns=["economy"])
        if not {"USA", "CHN"} <= set(w.codes):
            return AlignmentState(fixed=empty, baseline=empty, flows=w.trade,
                                  available=False)
        cfg = sim.get(SecurityModels)
        p = cfg.params("alignment")
        fixed = pd.DataFrame({"economy": w.codes})
        try:
            u = unga_component(w, int(p["unga_year"]))[["economy", "unga", "ideal_point"]]
            d = defence_component(w, int(p["defence_year"]))[["economy", "defence"]]
            fixed = fixed.merge(u, on="economy", how="left").merge(d, on="economy", how="left")
        except (PanelError, SecurityModelError, KeyError) as exc:
            fixed = fixed.assign(unga=np.nan, ideal_point=np.nan, defence=np.nan)
            cfg.note(self.name, "UNGA, defence pacts", f"not available: {exc}")
        else:
            cfg.note(self.name, "UNGA, defence pacts",
                     f"UNGA session of {p['unga_year']}, ATOP {p['defence_year']}, held on "
                     "every date")
        state = AlignmentState(fixed=fixed, baseline=empty, flows=w.trade)
        base = self._table(sim, state, "baseline", w.trade, np.zeros(w.n), np.zeros(w.n),
                           np.zeros(w.n), np.zeros(w.n), np.zeros(w.n))
        state.baseline = base[["economy", "trade", "dep_us", "dep_cn", "position"]]
        return state

    def _table(self, sim: Context, state: AlignmentState, date: str, X: np.ndarray,
               b_us: np.ndarray, b_cn: np.ndarray, d_us: np.ndarray,
               d_cn: np.ndarray, a_us: np.ndarray) -> pd.DataFrame:
        w = sim.world
        p = sim.get(SecurityModels).params("alignment")
        comp = trade_component(X, w.gdp, w.codes).rename(  # in the order of w.codes
            columns={"T_us": "dep_us", "T_cn": "dep_cn"})
        for col in ("unga", "ideal_point", "defence"):
            comp[col] = state.fixed[col].to_numpy(dtype=float)
        on = f"{w.year}-12-31" if date in ("baseline", "undated") else date
        pol = sim.get(PoliticalState)
        key = (membership_key(pol, on), repr((p["us_clubs"], p["cn_clubs"])))
        if key != state._mem_key:
            status = state.status_of(sim, on)
            state._mem = club_positions(status[status["status"] != "left"],
                                        set(pol.memberships["organization"]), w.codes,
                                        p["us_clubs"], p["cn_clubs"])
            state._mem_key = key
        comp["membership"] = state._mem["membership"].to_numpy(dtype=float)
        weights = {k: float(v) for k, v in dict(p["weights"]).items()}
        table = alignment_table(comp[["economy", *COMPONENTS]], weights)
        a_cn = np.zeros(w.n)  # no panel of Chinese aid by recipient
        moved = move_alignment(table["position"].to_numpy(), b_us, b_cn, d_us, d_cn,
                               theta_b=float(p["theta_b"]), theta_d=float(p["theta_d"]),
                               aid_us=a_us, aid_cn=a_cn, theta_a=p.get("theta_a"))
        us, cn = w.index("USA"), w.index("CHN")
        moved[us], moved[cn] = 1.0, -1.0
        out = comp.assign(position_components=table["position"].to_numpy(), position=moved,
                          hedging=0.5 * (1.0 - np.abs(moved))
                          + 0.5 * table["dispersion"].to_numpy(),
                          burden_us=b_us, burden_cn=b_cn, deal_us=d_us, deal_cn=d_cn,
                          aid_us=a_us, aid_cn=a_cn)
        return out

    def update(self, sim: Context, date: str) -> None:
        state = sim.get(AlignmentState)
        if not state.available:
            return
        w = sim.world
        t = sim.get(TradeState)
        if t.solved_on == date:  # the flows of the equilibrium the trade layer just solved
            state.flows = t.flows
        b_us = discrimination_burden(t.t, t.t0, w.trade, w.gdp, w.index("USA"))
        b_cn = discrimination_burden(t.t, t.t0, w.trade, w.gdp, w.index("CHN"))
        d_us, d_cn = self._deals(sim)
        a_us = self._aid(sim, state)
        p = sim.get(SecurityModels).params("alignment")
        key = (id(state.flows), t.t.tobytes(), d_us.tobytes(), d_cn.tobytes(), a_us.tobytes(),
               membership_key(sim.get(PoliticalState), date), repr(p))
        if key == state._key and getattr(self, "_rows", None) is not None:
            return  # nothing the positions depend on changed since the last date
        state._key = key
        out = self._table(sim, state, date, state.flows, b_us, b_cn, d_us, d_cn, a_us)
        for col in ("position", "trade", "dep_us", "dep_cn"):
            out[f"{col}_baseline"] = state.baseline[col].to_numpy(dtype=float)
        state.positions = dict(zip(out["economy"], out["position"], strict=True))
        self._rows = out[[f.name for f in self.tables["alignment"] if f.name != "date"]]

    @staticmethod
    def _aid(sim: Context, state: AlignmentState) -> np.ndarray:
        """A_US by economy after the aid records so far (recomputed when they change)."""
        state.aid_us = state.aid(sim.get(PoliticalState).aid, sim.world,
                                 sim.get(SecurityModels).params("aid-cut-pricing"))
        return state.aid_us

    @staticmethod
    def _deals(sim: Context) -> tuple[np.ndarray, np.ndarray]:
        w = sim.world
        pol = sim.get(PoliticalState)
        made = {(r.imposer, r.partner) for r in pol.pledges}
        groups: dict[str, list[str]] = {c: [c] for c in w.codes}
        for g, members in w.groups.items():
            for m in members:
                groups.setdefault(m, [m]).append(g)
        d_us = np.array([any(("USA", g) in made for g in groups[c]) for c in w.codes], float)
        d_cn = np.array([any(("CHN", g) in made for g in groups[c]) for c in w.codes], float)
        return d_us, d_cn

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        rows = getattr(self, "_rows", None)
        return {} if rows is None else {"alignment": rows}

