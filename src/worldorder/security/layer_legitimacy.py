"""The ``legitimacy`` layer: each great power's legitimacy in the eyes of every other economy,
updated on every date from the measures on the timeline.

The definition and the update rule are those of :class:`~worldorder.security.legitimacy.
Legitimacy` (its parameters in force): on date ``d`` the pressure of power ``g`` on economy
``i`` is

    x_{g,i}(d) = a B_{g,i}(d) + b E_g(d) + c S_{g,i}(d),

``B`` the first-order burden of ``g``'s discriminatory duties in force on ``i``'s exports (% of
``i``'s GDP, from the trade layer's tariffs ``TradeState.t`` against the baseline), ``E`` the
global organisations ``g`` has left or given notice to leave by ``d`` (the politics layer's
``withdraw`` events), ``S`` the strikes of ``g`` on ``i`` by ``d`` (``strike`` events). With
memory ``τ`` the log-legitimacy follows ``ℓ(d) = λ ℓ(d⁻) − (1 − λ) x(d)``,
``λ = exp(−Δ/τ)`` (Δ the days since the previous date; the first date counts one day), and
``R = exp(ℓ)``, ``L = R · A^κ`` with ``A`` the UNGA agreement of ``i`` with ``g``
(``unga_year`` of the alignment model). An undated scenario has one date, on which ``R =
exp(−x)`` (the steady state of the measures held).

Table ``legitimacy``: one row per date, power and economy.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa

from worldorder.data.panels import economy_panel
from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.politics import PoliticalState
from worldorder.engine.layers.trade import TradeState
from worldorder.security.config import SecurityConfig
from worldorder.security.legitimacy import discrimination_burden

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["GREAT_POWERS", "LegitimacyLayer", "LegitimacyState"]

_STR, _F64, _I64 = pa.string(), pa.float64(), pa.int64()
#: The great powers whose legitimacy is tracked (those of the dataset).
GREAT_POWERS = ("USA", "CHN")
_AGREE = {"USA": "agree_us", "CHN": "agree_china"}


@dataclass
class LegitimacyState:
    """Log-legitimacy ``ℓ`` by (power, economy), the last date processed, and the latest
    values ``R`` (for bargaining and agents: ``state.R[("USA", "JPN")]``)."""

    ell: dict[tuple[str, str], float] = field(default_factory=dict)
    last: dt.date | None = None
    R: dict[tuple[str, str], float] = field(default_factory=dict)
    agreement: dict[tuple[str, str], float] = field(default_factory=dict)


@register_layer
class LegitimacyLayer(Layer):
    """Each great power's legitimacy with every economy, date by date
    (:mod:`worldorder.security.layer_legitimacy`)."""

    name: ClassVar[str] = "legitimacy"
    summary: ClassVar[str] = "legitimacy of the US and China with every economy, by date"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {"domain": "legitimacy",
                                                                  "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Hurd (1999), Legitimacy and authority in international politics, IO 53(2)",
        "Lake (2009), Hierarchy in International Relations",
        "Ikenberry (2001), After Victory",
    )
    priority: ClassVar[int] = 40
    tables: ClassVar[dict[str, pa.Schema]] = {
        "legitimacy": pa.schema([
            ("date", _STR), ("power", _STR), ("economy", _STR), ("burden_pct_gdp", _F64),
            ("exits", _I64), ("strikes", _I64), ("x", _F64), ("legitimacy", _F64),
            ("agreement", _F64), ("level", _F64)]),
    }

    def init(self, sim: Context) -> LegitimacyState:
        state = LegitimacyState()
        powers = [g for g in GREAT_POWERS if g in sim.world.codes]
        if not powers:
            return state
        year = int(sim.get(SecurityConfig).params("alignment")["unga_year"])
        try:
            unga = economy_panel("unga", sim.world, years=year)
        except Exception:
            unga = pd.DataFrame(columns=["economy", *_AGREE.values()])
        for g in powers:
            col = _AGREE[g]
            state.agreement.update({(g, str(e)): float(v) for e, v in
                                    zip(unga["economy"], unga[col], strict=True)
                                    if pd.notna(v)})
        sim.get(SecurityConfig).note(self.name, "UNGA agreement (level A)",
                                     f"session of {year}, held on every date")
        return state

    def update(self, sim: Context, date: str) -> None:
        state = sim.get(LegitimacyState)
        w = sim.world
        powers = [g for g in GREAT_POWERS if g in w.codes]
        if not powers:
            return
        p = sim.get(SecurityConfig).params("legitimacy")
        trade = sim.get(TradeState)
        pol = sim.get(PoliticalState)
        if date == "undated":
            lam = 0.0
        else:
            day = dt.date.fromisoformat(date)
            gap = 1.0 if state.last is None else float((day - state.last).days)
            lam = math.exp(-gap / float(p["tau_days"]))
            state.last = day
        orgs = set(p["organizations"])
        rows = []
        for g in powers:
            gi = w.index(g)
            burden = discrimination_burden(trade.t, trade.t0, w.trade, w.gdp, gi)
            exits = len({e.organization for e in pol.events if e.kind == "withdraw"
                         and g in e.parties and e.organization in orgs
                         and (date == "undated" or e.date <= date)})
            strikes: dict[str, int] = {}
            for e in pol.events:
                if e.kind == "strike" and g in e.actor.split(",") and e.target and (
                        date == "undated" or e.date <= date):
                    strikes[e.target] = strikes.get(e.target, 0) + 1
            for k, c in enumerate(w.codes):
                if c == g:
                    continue
                x = (float(p["a"]) * burden[k] + float(p["b"]) * exits
                     + float(p["c"]) * strikes.get(c, 0))
                ell = lam * state.ell.get((g, c), 0.0) - (1.0 - lam) * x
                state.ell[(g, c)] = ell
                r = math.exp(ell)
                state.R[(g, c)] = r
                a = state.agreement.get((g, c), np.nan)
                level = r * (a ** float(p["kappa"]) if np.isfinite(a) else 1.0)
                rows.append({"power": g, "economy": c, "burden_pct_gdp": float(burden[k]),
                             "exits": exits, "strikes": strikes.get(c, 0), "x": x, "legitimacy": r,
                             "agreement": a, "level": level})
        self._rows = pd.DataFrame(rows)

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        rows = getattr(self, "_rows", None)
        return {} if rows is None else {"legitimacy": rows}
