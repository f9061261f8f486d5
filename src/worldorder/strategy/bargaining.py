"""Coercive bargaining: a hegemon's tariff threat, the partner's options, the Nash bargain.

A hegemon H threatens partner P with an additional tariff. P can accept a deal, retaliate, or
bargain inside a coalition (see :mod:`worldorder.strategy.coalitions`). Here:

* **Disagreement point**: the bilateral trade war from the threat — H and P alternate best
  responses (H's uniform rate on P's goods, P's common rate on H's goods, each maximising its
  money-metric welfare) until neither changes by more than ``tol`` (Ossa 2014; Ignatenko et al.
  2025 for the threat).
* **Deal**: a package x = (r_H, r_P, f): H's all-in rate on P, P's all-in rate on H, and a pledge
  f, an annual transfer from P to H (realised investment, in the dataset's value unit per year)
  that enters the budget constraints as a change of the transfers T (a realised investment
  pledge is a capital flow that finances H's expenditure; only the realised share counts).
* **Nash bargaining solution** (Nash 1950; Binmore, Rubinstein & Wolinsky 1986):

  .. math:: x^* = \\arg\\max_x\\ β \\ln(V_H(x) - V_H(d)) + (1-β) \\ln(V_P(x) - V_P(d)),

  with V_G = Σ_{i∈G} (Ŵ_i − 1) E_i the money-metric welfare of a side (dataset unit) and
  bargaining weight β of H from mutual dependence: β = m_P / (m_H + m_P), where m_P is P's
  exports to H over P's GDP and m_H is H's exports to P over H's GDP (the side that depends
  more on the other's market has less power; Keohane & Nye 1977, "Power and Interdependence").
  Users may set β.
* **Purchases** (e.g. energy): a shift of P's spending towards H's goods, d̂_{H→i}^(−ε_i) =
  1 + p_i / X_{H,i} (the partial effect equals the pledged purchases p_i per year), used to
  evaluate actual deals; the predicted package uses rates and the transfer.

Headline pledges are multi-year totals; ``pledge_years`` and ``realisation`` convert them to
annual realised transfers (assumptions, reported, user-settable).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from worldorder.errors import BargainError, ConvergenceError, NumericsError
from worldorder.numerics import maximise_scalar
from worldorder.progress import report as report_progress
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.instruments import check_upper

__all__ = ["BargainOutcome", "Package", "actual_deals_2025", "bargain", "dependence_weight",
           "legitimacy_weight"]


@dataclass(frozen=True)
class Package:
    """A bilateral package and both sides' welfare under it.

    Attributes:
        hegemon_rate: H's all-in tariff on P's goods (fraction).
        partner_rate: P's all-in tariff on H's goods (fraction; trade-weighted over P's members).
        transfer: Realised annual transfer from P to H (dataset unit per year).
        purchases: Extra annual purchases of H's goods by P (dataset unit per year).
        welfare_hegemon, welfare_partner: Percent welfare change (income-weighted for groups).
        value_hegemon, value_partner: Money-metric welfare change (dataset unit).
    """

    hegemon_rate: float
    partner_rate: float
    transfer: float
    purchases: float
    welfare_hegemon: float
    welfare_partner: float
    value_hegemon: float
    value_partner: float


@dataclass
class BargainOutcome:
    """Threat, war, predicted deal (and the actual one, if known) for one partner."""

    hegemon: str
    partner: str
    weight_hegemon: float
    threat_rate: float
    threat: Package
    war: Package
    deal: Package
    war_rounds: int
    actual: Package | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def gains(self) -> tuple[float, float]:
        """Each side's gain from the deal over the war (dataset unit)."""
        return (self.deal.value_hegemon - self.war.value_hegemon,
                self.deal.value_partner - self.war.value_partner)


def dependence_weight(world: Any, hegemon: str, partner: str) -> float:
    """β of the hegemon: m_P / (m_H + m_P), m = exports to the other side over own GDP."""
    h = [world.index(c) for c in world.expand(hegemon)]
    p = [world.index(c) for c in world.expand(partner)]
    x = world.trade
    m_h = x[np.ix_(h, p)].sum() / world.gdp[h].sum()
    m_p = x[np.ix_(p, h)].sum() / world.gdp[p].sum()
    return float(m_p / (m_h + m_p))


def legitimacy_weight(beta: float, legitimacy: float, elasticity: float = 1.0) -> float:
    """H's bargaining weight when its legitimacy in P's eyes is R (1 = the baseline):

    .. math:: β' = \\frac{β R^η}{β R^η + 1 − β}

    (the odds β/(1−β) scale by R^η). R = 1 returns β unchanged (exactly); R → 0 drives the
    weight to 0. The definition of R and its references are in
    :mod:`worldorder.security.legitimacy` (an assumption: an illegitimate demand meets more
    resistance; Hurd 1999, Lake 2009).
    """
    if not 0.0 < legitimacy <= 1.0:
        raise BargainError(f"legitimacy {legitimacy:g} must lie in (0, 1]")
    if elasticity < 0:
        raise BargainError(f"legitimacy elasticity {elasticity:g} must be non-negative")
    if legitimacy == 1.0 or elasticity == 0.0:
        return beta
    odds = beta * legitimacy ** elasticity
    return odds / (odds + 1.0 - beta)


class _Sides:
    """Tariff and transfer bookkeeping for one hegemon-partner pair."""

    def __init__(self, ev: Evaluator, hegemon: str, partner: str) -> None:
        w = ev.world
        self.ev = ev
        self.h = ev.index(hegemon)
        self.p = ev.index(partner)
        if set(self.h) & set(self.p):
            raise BargainError(f"{partner} and {hegemon} overlap")
        self.E = ev.baseline.E
        self.gdp_share_p = w.gdp[self.p] / w.gdp[self.p].sum()
        x_hp = ev.baseline.X[np.ix_(self.h, self.p)].sum(axis=0)
        self.import_share_p = x_hp / x_hp.sum()

    def tariffs(self, t: np.ndarray, r_h: float, r_p: float) -> np.ndarray:
        out = t.copy()
        out[np.ix_(self.p, self.h)] = r_h
        out[np.ix_(self.h, self.p)] = r_p
        return out

    def shocks(self, transfer: float, purchases: float) -> tuple[np.ndarray | None,
                                                                 np.ndarray | None]:
        n = self.ev.world.n
        dT = None
        if transfer:
            dT = np.zeros(n)
            dT[self.h] += transfer * self.E[self.h] / self.E[self.h].sum()
            dT[self.p] -= transfer * self.gdp_share_p
        dhat = None
        if purchases:
            X, eps = self.ev.baseline.X, self.ev.params.epsilon
            dhat = np.ones((n, n))
            for k, i in enumerate(self.p):
                for j in self.h:
                    extra = purchases * self.import_share_p[k] * X[j, i] / X[self.h, i].sum()
                    dhat[j, i] = (1.0 + extra / X[j, i]) ** (-1.0 / eps[i])
        return dT, dhat

    def package(self, t: np.ndarray, r_h: float, r_p: float, transfer: float = 0.0,
                purchases: float = 0.0) -> Package:
        dT, dhat = self.shocks(transfer, purchases)
        wel = self.ev.welfare(self.tariffs(t, r_h, r_p), dhat, dT)
        v_h = float(((wel[self.h] - 1.0) * self.E[self.h]).sum())
        v_p = float(((wel[self.p] - 1.0) * self.E[self.p]).sum())
        return Package(r_h, r_p, transfer, purchases,
                       100.0 * v_h / self.E[self.h].sum(), 100.0 * v_p / self.E[self.p].sum(),
                       v_h, v_p)


def _best_rate(fn: Callable[[float], float], upper: float, what: str) -> float:
    """Maximise a function of one rate on [0, upper]: a 21-point grid, then bounded Brent
    (:func:`worldorder.numerics.maximise_scalar`)."""
    return maximise_scalar(fn, 0.0, upper, points=21, xatol=1e-6, what=what).x


def bargain(ev: Evaluator, hegemon: str, partner: str, t: np.ndarray, threat: float, *,
            weight: float | None = None, upper: float = 1.0, tol: float = 1e-4,
            max_rounds: int = 30, actual: dict[str, Any] | None = None,
            pledge_years: float = 4.0, realisation: float = 0.5, legitimacy: float = 1.0,
            legitimacy_elasticity: float = 1.0) -> BargainOutcome:
    """Threat, trade war and Nash bargain between ``hegemon`` and ``partner``.

    Args:
        ev: An :class:`~worldorder.trade.evaluator.Evaluator`.
        hegemon: Economy code of H.
        partner: Economy or group code of P (a group acts as one side).
        t: Current tariffs (before the threat).
        threat: H's threatened additional tariff on P (fraction, on top of ``t``).
        weight: H's bargaining weight β (default: :func:`dependence_weight`).
        upper: Highest rate considered (at most
            :data:`~worldorder.trade.instruments.MAX_RATE`).
        tol: Convergence tolerance of the war (rates).
        max_rounds: Rounds of alternating best responses.
        actual: The actual deal (a row of :func:`actual_deals_2025`) to evaluate beside it.
        pledge_years: Years over which headline pledges are spread.
        realisation: Share of headline pledges assumed realised.
        legitimacy: H's legitimacy in P's eyes relative to the baseline, in (0, 1]; lowers
            H's weight by :func:`legitimacy_weight` (1 = no change, the default).
        legitimacy_elasticity: η of :func:`legitimacy_weight`.

    Raises:
        BargainError: Unknown or overlapping sides, or a bound not in (0, MAX_RATE].
        ConvergenceError: When the war does not settle.
    """
    try:
        upper = check_upper(upper)
    except NumericsError as err:
        raise BargainError(str(err)) from None
    w = ev.world
    for code in (hegemon, partner):
        if not w.is_known(code):
            raise BargainError(f"unknown economy or group {code!r} in dataset {w.name!r}")
    s = _Sides(ev, hegemon, partner)
    beta = dependence_weight(w, hegemon, partner) if weight is None else float(weight)
    if not 0.0 < beta < 1.0:
        raise BargainError(f"bargaining weight {beta:g} must lie strictly between 0 and 1")
    beta = legitimacy_weight(beta, legitimacy, legitimacy_elasticity)
    h0 = float(np.mean(t[np.ix_(s.p, s.h)]))
    p0 = float(np.average(t[np.ix_(s.h, s.p)].mean(axis=0), weights=s.import_share_p))
    threat_pkg = s.package(t, h0 + threat, p0)

    r_h, r_p, rounds = h0 + threat, p0, 0
    for rounds in range(1, max_rounds + 1):
        report_progress(f"trade war {hegemon}–{partner}, round {rounds}")
        new_h = _best_rate(lambda r, rp=r_p: s.package(t, r, rp).value_hegemon, upper,
                           f"the tariff of {hegemon} on {partner}")
        new_p = _best_rate(lambda r, nh=new_h: s.package(t, nh, r).value_partner, upper,
                           f"the tariff of {partner} on {hegemon}")
        change = max(abs(new_h - r_h), abs(new_p - r_p))
        r_h, r_p = new_h, new_p
        if change < tol:
            break
    else:
        raise ConvergenceError(f"the {hegemon}-{partner} trade war did not settle in "
                               f"{max_rounds} rounds (last change {change:.2g})")
    war = s.package(t, r_h, r_p)

    scale = abs(war.value_hegemon) + abs(war.value_partner) + 1e-9 * s.E.sum()

    def nash_product(x: np.ndarray) -> float:
        rh, rp, f = min(max(x[0], 0.0), upper), min(max(x[1], 0.0), upper), max(x[2], 0.0)
        pk = s.package(t, rh, rp, f * scale)
        gh, gp = pk.value_hegemon - war.value_hegemon, pk.value_partner - war.value_partner
        if gh <= 0 or gp <= 0:
            return 1e6 + 1e3 * (max(-gh, 0) + max(-gp, 0)) / scale
        return -(beta * math.log(gh / scale) + (1 - beta) * math.log(gp / scale))

    from scipy.optimize import minimize  # loaded on first use (start-up)

    starts = [np.array([h0, p0, 0.1]), np.array([0.0, 0.0, 0.2]), np.array([r_h / 2, r_p / 2,
                                                                             0.1])]
    best = min((minimize(nash_product, x0, method="Nelder-Mead",
                         options={"xatol": 1e-6, "fatol": 1e-10, "maxiter": 600})
                for x0 in starts), key=lambda res: res.fun)
    if best.fun >= 1e6:
        raise ConvergenceError(f"no package gives both {hegemon} and {partner} a gain over the "
                               "trade war")
    rh, rp, f = (min(max(best.x[0], 0.0), upper), min(max(best.x[1], 0.0), upper),
                 max(best.x[2], 0.0) * scale)
    deal = s.package(t, rh, rp, f)
    out = BargainOutcome(hegemon=hegemon, partner=partner, weight_hegemon=beta,
                         threat_rate=threat, threat=threat_pkg, war=war, deal=deal,
                         war_rounds=rounds,
                         notes={"pledge_years": pledge_years, "realisation": realisation,
                                "legitimacy": legitimacy,
                                "headline_pledge_equivalent": f * pledge_years / realisation})
    if actual is not None:
        out.actual = _actual_package(s, t, h0, p0, actual, pledge_years, realisation)
    return out


def _actual_package(s: _Sides, t: np.ndarray, h0: float, p0: float, row: dict[str, Any],
                    years: float, realisation: float) -> Package:
    rate = float(row["deal_pct"]) / 100.0
    r_h = rate if row.get("deal_basis") == "all-in" else h0 + rate
    pr = row.get("partner_rate_after_pct")
    r_p = float(pr) / 100.0 if pr not in (None, "") and not _isnan(pr) else p0
    inv = _num(row.get("investment_usd_bn"))
    pur = _num(row.get("purchases_usd_bn"))
    unit = _unit_per_bn(s.ev.world)
    return s.package(t, r_h, r_p, inv * realisation / years * unit,
                     pur * realisation / years * unit)


def _isnan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _num(v: Any) -> float:
    return 0.0 if v in (None, "") or _isnan(v) else float(v)


def _unit_per_bn(world: Any) -> float:
    """Dataset value units per USD billion (from ``units.trade``)."""
    unit = str(world.units.get("trade", "USD billion")).lower()
    for word, per_bn in (("trillion", 1e-3), ("billion", 1.0), ("million", 1e3),
                         ("thousand", 1e6)):
        if word in unit:
            return per_bn
    return 1e9


def actual_deals_2025() -> pd.DataFrame:
    """The 2025 US deals (threat, deal rate, pledges, sources), bundled with the package."""
    path = Path(str(resources.files("worldorder") / "strategy" / "data" / "deals_2025.csv"))
    return pd.read_csv(path)
