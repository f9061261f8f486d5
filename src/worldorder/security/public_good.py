"""Olson & Zeckhauser (1966): alliance defence as a pure public good, Nash contributions.

Ally ``i`` has income ``I_i`` and spends ``m_i`` on defence; deterrence ``Q = Σ_j m_j`` is a pure
public good (non-rival, non-excludable). With Cobb–Douglas preferences

    U_i = (1 − a_i) ln(I_i − m_i) + a_i ln Q,     0 < a_i < 1,

the best response to the others' spending ``Q_{−i}`` is

    m_i = max(0, a_i I_i − (1 − a_i) Q_{−i})                                    (BR)

(every unit the others add crowds out ``1 − a_i`` of one's own). In the Nash equilibrium the
contributors ``C`` satisfy ``m_i = I_i − ((1 − a_i)/a_i) Q``, so

    Q = Σ_{i∈C} I_i / (1 + Σ_{i∈C} (1 − a_i)/a_i),

and an ally contributes iff ``I_i > ((1 − a_i)/a_i) Q``: the rich carry the burden, the small
free-ride ("exploitation of the great by the small"). Symmetric case (n allies, income I, a):

    m = a I / (a + n(1 − a)),   Q = n a I / (a + n(1 − a)),

against the Samuelson optimum ``Q* = n a I``: the shortfall ``Q/Q* = 1/(a + n(1 − a))`` grows
with the alliance. The equilibrium is unique (Bergstrom, Blume & Varian 1986); it is found here
through the aggregate ``Q`` (Cornes & Hartley 2007): each ally's replacement function
``r_i(Q) = max(0, I_i − ((1 − a_i)/a_i) Q)`` is decreasing, and ``Σ r_i(Q) = Q`` has one root.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.panels import load_panel
from worldorder.errors import SecurityModelError
from worldorder.security.model import SecurityModel, register_model

__all__ = [
    "OlsonZeckhauser",
    "allies_at_or_above",
    "calibrate_a",
    "exploitation_test",
    "oz_best_response",
    "oz_nash",
    "oz_optimum_symmetric",
    "oz_symmetric",
]


def _check(income: np.ndarray, a: np.ndarray, model: str = "olson-zeckhauser") -> None:
    if (income <= 0).any() or np.isnan(income).any():
        raise SecurityModelError(f"model {model!r}: incomes must be positive")
    if ((a <= 0) | (a >= 1)).any() or np.isnan(a).any():
        raise SecurityModelError(f"model {model!r}: the public-good weight a must lie in (0, 1)")


def oz_best_response(income: float | np.ndarray, a: float | np.ndarray,
                     others: float | np.ndarray) -> np.ndarray:
    """``max(0, a I − (1 − a) Q_{−i})`` (BR)."""
    I_ = np.asarray(income, dtype=float)
    return np.maximum(0.0, np.asarray(a) * I_ - (1.0 - np.asarray(a)) * np.asarray(others))


def oz_nash(income: np.ndarray, a: float | np.ndarray) -> tuple[np.ndarray, float]:
    """Nash contributions ``m`` and total ``Q`` of the pure-public-good game.

    Solves ``Σ_i max(0, I_i − ((1 − a_i)/a_i) Q) = Q`` for ``Q`` (Brent's method on a strictly
    decreasing function) and returns ``m_i = max(0, I_i − ((1 − a_i)/a_i) Q)``.
    """
    I_ = np.asarray(income, dtype=float)
    A = np.broadcast_to(np.asarray(a, dtype=float), I_.shape)
    _check(I_, A)
    k = (1.0 - A) / A

    def excess(q: float) -> float:
        return float(np.maximum(0.0, I_ - k * q).sum() - q)

    from scipy.optimize import brentq  # loaded on first use (start-up)

    hi = float(I_.sum())
    q = brentq(excess, 0.0, hi, xtol=1e-14 * hi, rtol=1e-15, maxiter=500)
    m = np.maximum(0.0, I_ - k * q)
    return m, float(m.sum())


def oz_symmetric(n: int, income: float, a: float) -> tuple[float, float]:
    """Closed form of the symmetric game: ``(m, Q) = (aI/(a + n(1−a)), n m)``."""
    if n < 1:
        raise SecurityModelError("model 'olson-zeckhauser': need at least one ally")
    _check(np.array([income]), np.array([a]))
    m = a * income / (a + n * (1.0 - a))
    return m, n * m


def oz_optimum_symmetric(n: int, income: float, a: float) -> float:
    """The Samuelson (Pareto) level ``Q* = n a I`` of the symmetric game (Σ MRS = 1)."""
    _check(np.array([income]), np.array([a]))
    return n * a * income


def calibrate_a(spending: float, income: float, others: float) -> float:
    """The weight ``a`` that makes observed ``spending`` a best response to ``others``:
    ``a = (m + Q_{−i}) / (I + Q_{−i})`` (BR solved for ``a``, interior case)."""
    if not 0 < spending < income:
        raise SecurityModelError(f"model 'olson-zeckhauser': spending {spending} must lie "
                                 f"between 0 and income {income}")
    return (spending + others) / (income + others)


@register_model
class OlsonZeckhauser(SecurityModel):
    """Pure public good with Nash contributions (Olson & Zeckhauser 1966).

    Parameter ``a`` (the weight of deterrence in the allies' Cobb–Douglas utility; None =
    calibrated to the patron's observed best response). ``nash(income)`` returns contributions;
    ``patron_response(income, spending, others_before, others_after)`` the patron's best
    response to a change in the allies' total, with ``a`` calibrated so that its observed
    spending is its best response before the change: the saving is ``(1 − a) ΔQ_{−P}``
    (interior case).
    """

    name: ClassVar[str] = "olson-zeckhauser"
    summary: ClassVar[str] = "pure public good, Nash contributions: the small free-ride"
    classifier: ClassVar[dict[str, Any]] = {"question": "burden-sharing", "kind": "game",
                                            "inputs": ["milex"]}
    references: ClassVar[tuple[str, ...]] = (
        "Olson & Zeckhauser (1966), An Economic Theory of Alliances, Review of Economics and "
        "Statistics 48(3): 266-279",
        "Bergstrom, Blume & Varian (1986), On the Private Provision of Public Goods, Journal of "
        "Public Economics 29(1): 25-49",
        "Cornes & Hartley (2007), Aggregative Public Good Games, Journal of Public Economic "
        "Theory 9(2): 201-219",
    )
    defaults: ClassVar[dict[str, Any]] = {"a": None}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {"a": (1e-9, 1 - 1e-9)}

    def nash(self, income: np.ndarray) -> tuple[np.ndarray, float]:
        if self.params["a"] is None:
            raise SecurityModelError("model 'olson-zeckhauser': set a to solve the game")
        return oz_nash(income, self.params["a"])

    def patron_response(self, income: float, spending: float, others_before: float,
                        others_after: float) -> dict[str, float]:
        """The patron's spending after the allies' total moves from ``others_before`` to
        ``others_after``, and its saving."""
        a = self.params["a"]
        if a is None:
            a = calibrate_a(spending, income, others_before)
        after = float(oz_best_response(income, a, others_after))
        before = float(oz_best_response(income, a, others_before))
        return {"a": float(a), "before": before, "after": after, "saving": before - after}


def exploitation_test(year: int, members: list[str] | None = None) -> dict[str, Any]:
    """Olson & Zeckhauser's exploitation hypothesis on the data: Spearman's rank correlation
    (Pearson's of average ranks) between allies' GDP and their defence burden (military
    expenditure / GDP, SIPRI) in ``year``. The pure-public-good model predicts a positive
    correlation (the large carry the burden); Sandler & Hartley (2001) report it fading after
    NATO's doctrine of flexible response (1967), as joint products grew.

    ``members``: ISO3 codes (default: NATO members of that year, the US included). Allies
    without SIPRI figures are left out (``missing``).
    """
    if members is None:
        nato = load_panel("nato")
        members = nato.loc[nato["accession_year"] <= year, "iso3"].tolist()
    mx = load_panel("milex", years=year).set_index("iso3").reindex(members)
    ok = mx["gdp_current_usd_m"].notna() & mx["milex_share_gdp"].notna() & (
        mx["milex_share_gdp"] > 0)
    d = mx[ok]
    if len(d) < 3:
        raise SecurityModelError(f"exploitation test: fewer than three allies with data in "
                                 f"{year}")
    r = float(d["gdp_current_usd_m"].rank().corr(d["milex_share_gdp"].rank()))
    n = len(d)
    # two-sided p-value from t = r sqrt((n-2)/(1-r²)) ~ Student t(n-2), as scipy's spearmanr
    t = r * np.sqrt((n - 2) / max(1.0 - r * r, 1e-300))
    from scipy.special import stdtr  # loaded on first use (start-up)

    p = float(2.0 * stdtr(n - 2, -abs(t)))
    return {"year": int(year), "n": n, "spearman": r, "p_value": p,
            "missing": ",".join(mx.index[~ok])}


def allies_at_or_above(year: int, share: float = 0.02, members: list[str] | None = None,
                       decimals: int | None = None) -> pd.DataFrame:
    """Allies (default: NATO members of ``year``) with SIPRI's military expenditure at or above
    ``share`` of GDP, with their shares (largest first). ``decimals``: compare the percentage
    rounded as published (SIPRI's fact sheets print one decimal, so 1.998% counts as 2.0%)."""
    if members is None:
        nato = load_panel("nato")
        members = nato.loc[nato["accession_year"] <= year, "iso3"].tolist()
    mx = load_panel("milex", years=year).set_index("iso3").reindex(members)
    pct = 100.0 * mx["milex_share_gdp"]
    if decimals is not None:
        pct = pct.round(decimals)
    out = mx[pct >= 100.0 * share - 1e-12][["milex_share_gdp"]]
    return out.sort_values("milex_share_gdp", ascending=False).reset_index()
