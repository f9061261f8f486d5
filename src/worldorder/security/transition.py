"""Power-transition theory: parity between the dominant power and a challenger, and whether
the challenger is dissatisfied with the order the dominant power leads.

Organski & Kugler (1980): war between the dominant power and a challenger is most likely when
the challenger's power approaches the dominant power's (parity: a ratio
``r = p_challenger / p_dominant`` within ``[lower, upper]``, 0.8–1.2 by convention; Lemke 2002)
and the challenger is dissatisfied with the status quo. Dissatisfaction here is the distance of
the UN General Assembly ideal points (Bailey, Strezhnev & Voeten 2017),

    d = |θ_challenger − θ_dominant|,   q = share of states j with |θ_j − θ_dominant| < d,

over all states with at least ``min_votes`` votes that year: ``q`` is the challenger's rank in
distance from the dominant power (0 = closest, 1 = farthest). It counts as dissatisfied when
``q ≥ dissatisfaction`` (default 0.5: farther from the dominant power than the median state). A
relative rule, because the absolute scale of ideal points drifts between sessions. Ideal points
exist for 1946–2023; outside those years the dissatisfaction columns are missing (never
extrapolated).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.panels import load_panel, panel_coverage
from worldorder.errors import SecurityModelError
from worldorder.security.model import SecurityModel, get_model, register_model
from worldorder.security.power import PowerIndex

__all__ = ["PowerTransition", "first_overtaking", "parity"]


def parity(ratio: np.ndarray | float, lower: float = 0.8, upper: float = 1.2) -> np.ndarray:
    """``lower ≤ ratio ≤ upper`` elementwise (Organski & Kugler's parity band)."""
    if not 0 < lower <= upper:
        raise SecurityModelError(f"parity: need 0 < lower <= upper, got {lower}, {upper}")
    r = np.asarray(ratio, dtype=float)
    return (r >= lower) & (r <= upper)


def first_overtaking(index: str | PowerIndex, leader: str, challenger: str,
                     years: Iterable[int]) -> int | None:
    """The first of ``years`` in which ``challenger``'s index exceeds ``leader``'s (else None)."""
    model = get_model(index) if isinstance(index, str) else index
    for y in sorted(int(v) for v in years):
        v = model.values(y)
        if leader in v.index and challenger in v.index and v[challenger] > v[leader]:
            return y
    return None


@register_model
class PowerTransition(SecurityModel):
    """Parity and dissatisfaction between the dominant power and its strongest challenger.

    Parameters: ``index`` (power index), ``dominant`` (ISO3; None = the strongest state each
    year), ``lower``/``upper`` (parity band), ``dissatisfaction`` (threshold on the quantile of
    the challenger's ideal-point distance from the dominant power), ``min_votes`` (UNGA
    sessions resting on fewer votes are ignored).
    """

    name: ClassVar[str] = "power-transition"
    summary: ClassVar[str] = "challenger within 0.8-1.2 of the dominant power, and dissatisfied"
    classifier: ClassVar[dict[str, Any]] = {"question": "polarity", "kind": "rule",
                                            "inputs": ["nmc", "milex", "unga"]}
    references: ClassVar[tuple[str, ...]] = (
        "Organski & Kugler (1980), The War Ledger, University of Chicago Press",
        "Lemke (2002), Regions of War and Peace, Cambridge University Press",
        "Bailey, Strezhnev & Voeten (2017), Estimating Dynamic State Preferences from United "
        "Nations Voting Data, Journal of Conflict Resolution 61(2): 430-456",
    )
    defaults: ClassVar[dict[str, Any]] = {"index": "cinc", "dominant": "USA", "lower": 0.8,
                                          "upper": 1.2, "dissatisfaction": 0.5,
                                          "min_votes": 10}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "lower": (0.0, None), "upper": (0.0, None), "dissatisfaction": (0.0, 1.0),
        "min_votes": (0, None)}

    def table(self, years: Iterable[int]) -> pd.DataFrame:
        """One row per year: dominant, challenger, ratio, parity, ideal-point distance, its
        quantile ``q``,
        dissatisfied and ``transition_risk`` (parity and dissatisfied)."""
        model = get_model(self.params["index"])
        if not isinstance(model, PowerIndex):
            raise SecurityModelError(f"model 'power-transition': {self.params['index']!r} is "
                                     "not a power index")
        lo, hi = float(self.params["lower"]), float(self.params["upper"])
        cov = panel_coverage("unga")
        rows = []
        for y in years:
            y = int(y)
            v = model.values(y).dropna()
            v = v[v > 0].sort_values(ascending=False)
            dom = self.params["dominant"] or str(v.index[0])
            if dom not in v.index:
                raise SecurityModelError(f"model 'power-transition': dominant power {dom!r} "
                                         f"has no {model.name} value in {y}")
            others = v.drop(dom)
            ch = str(others.index[0])
            ratio = float(others.iloc[0] / v[dom])
            rec: dict[str, Any] = {"year": y, "dominant": dom, "challenger": ch,
                                   "ratio": ratio, "parity": bool(parity(ratio, lo, hi)),
                                   "ideal_distance": np.nan, "q": np.nan,
                                   "dissatisfied": None}
            if cov is not None and cov[0] <= y <= cov[1]:
                u = load_panel("unga", years=y, min_votes=int(self.params["min_votes"]))
                ip = u.set_index("iso3")["ideal_point"]
                if dom in ip.index and ch in ip.index:
                    dist = (ip.drop(dom) - float(ip[dom])).abs()
                    d = float(dist[ch])
                    q = float((dist < d).sum() / max(len(dist) - 1, 1))
                    rec.update(ideal_distance=d, q=q,
                               dissatisfied=bool(q >= self.params["dissatisfaction"]))
            rec["transition_risk"] = bool(rec["parity"] and rec["dissatisfied"])
            rows.append(rec)
        return pd.DataFrame(rows)
