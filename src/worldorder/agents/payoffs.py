"""An agent's payoff from the layers: welfare, security, legitimacy and alignment.

Each component is a change against the baseline (0 = as in the dataset's year), so that they
can be weighed against each other; the payoff a doctrine pursues is their weighted sum

    u_i = ω_W W_i + ω_S S_i + ω_L L_i + ω_A A_i,

with the doctrine's weights ω (:attr:`~worldorder.agents.doctrine.Doctrine.payoff_weights`,
documented on each doctrine, overridable with ``params: {weights: {security: 0.5}}`` in a
scenario). A component a state does not have (no military figures, a power whose legitimacy
the ``order`` layer does not follow, an agent that is not a pole of the alignment axis) is NaN
and counts as 0. The components:

* **W, welfare** (%): the income-weighted real-income change of the agent's economies in the
  trade model's equilibrium (the trade layer's ``welfare_pct``).
* **S, security** (%): capability against threat (Waltz 1979; Walt 1987), from the ``alliances``
  layer's military expenditure by state (SIPRI, moved by the trade model's real income and by
  pledges), summed by dataset economy:

  .. math:: C_i = M_i + \\sum_{j \\in A(i)} κ_{ji} M_j, \\qquad T_i = \\max_{k \\notin A(i)
     \\cup \\{i\\}} M_k, \\qquad S_i = 100\\,\\Big(\\frac{C_i/T_i}{C_{i0}/T_{i0}} − 1\\Big),

  with ``A(i)`` the agent's allies (the dataset's ``alliances``), ``κ_ji`` the credibility of
  ally j's commitment to i: the latest ``commitment`` of j to i on the record, else the
  ``dated-power`` model's ``credibility`` (default 0.5) — alliance credibility; and the threat
  the strongest state outside the alliance.
* **L, legitimacy** (%): for a power followed by the ``order`` layer, ``100 (Σ_i y_i R_{g,i} /
  Σ_i y_i − 1)`` over the other economies (``R = e^ℓ``: the layer's legitimacy, GDP weights
  ``y``); ``legitimacy_allies`` the same over its allies.
* **A, alignment** (points): for the poles of the ``alignment`` layer's axis, the GDP-weighted
  mean shift of the other economies' positions towards it since the baseline, times 100 (the US
  +1, China −1): China's alignment pull is its ``A``.

A candidate (tariffs ``t``) is scored by :meth:`Standing.project`: a full equilibrium solve
gives W and each economy's real income; military expenditure moves with it (``M_j ×
(1 + w_j(t)/100) / (1 + w_j/100)``); legitimacy takes one step of the ``order`` layer's rule
(ℓ' = λℓ − (1 − λ) x(t)) over the days since the previous date; positions move by the
``alignment`` layer's burden term (``p' = p − θ_B (ΔB_US − ΔB_CN)``, clipped to [−1, 1]).
When ``t`` are the tariffs the date ends with and nothing else happens, the projection is what
the layers then record (tested).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from worldorder.data.world import World
from worldorder.security.legitimacy import Legitimacy, discrimination_burden, legitimacy_step

__all__ = ["COMPONENTS", "POLES", "Standing", "check_weights", "total"]

#: The payoff's components, in order.
COMPONENTS = ("welfare", "security", "legitimacy", "alignment")
#: The poles of the alignment axis and their sign (the ``alignment`` layer's convention).
POLES = {"USA": 1.0, "CHN": -1.0}


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights by component name, each a finite number (raises ``ValueError`` otherwise)."""
    out = {}
    for k, v in weights.items():
        if k not in COMPONENTS:
            raise ValueError(f"unknown payoff component {k!r} (known: {', '.join(COMPONENTS)})")
        if not math.isfinite(float(v)):
            raise ValueError(f"payoff weight of {k!r} must be a finite number, got {v!r}")
        out[k] = float(v)
    return out


def total(components: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """u = Σ ω_k c_k over the components that are not NaN."""
    return float(sum(w * components[k] for k, w in weights.items()
                     if k in components and math.isfinite(components[k])))


def _mean(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean with exactly rounded sums (``math.fsum``): the same bits whatever the
    memory layout of the arrays, so that results do not depend on the process they run in."""
    ok = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if not ok.any():
        return np.nan
    return math.fsum(values[ok] * weights[ok]) / math.fsum(weights[ok])


@dataclass
class Standing:
    """What the layers say about every economy on a date: the inputs of the payoff.

    Attributes:
        world: The World.
        milex: Military expenditure by dataset economy (NaN where none).
        real_income: ``1 + w/100`` of the equilibrium in force, by economy (1 at the baseline).
        allies: ``economy -> {ally: credibility κ of the ally's commitment to it}``.
        ratio0: ``economy -> C/T`` at the baseline (for S).
        log_legitimacy: ``power -> ℓ`` over the World's economies (the ``order`` layer's).
        legitimacy: The ``order`` layer's legitimacy model (its parameters).
        events: Exits and strikes on the record (as dictionaries) for the legitimacy pressure.
        threats: The threats on the record (the political state's), for the same.
        aid: The change of US aid against the base year by economy, in % of GDP (the ``order``
            layer's, for the same; None = none): aid does not change within a candidate.
        gap_days: Days from the previous date to this one (legitimacy's memory).
        positions, positions0: Alignment positions now and at the baseline (NaN if none).
        theta_b: The alignment model's burden coefficient θ_B.
        t: Tariffs in force.
        offshore: The ``alliances`` layer's offshore-balancing rows of the last date.
        troops: US troops by dataset economy (hosts).
        commitments: ``patron -> {ally: credibility}`` on the record.
        milex_share: Military expenditure over GDP by economy (the ``alliances`` layer's states
            summed; NaN where none).
    """

    world: World
    milex: np.ndarray
    real_income: np.ndarray
    allies: dict[str, dict[str, float]]
    ratio0: dict[str, float]
    log_legitimacy: dict[str, np.ndarray] = field(default_factory=dict)
    legitimacy: Legitimacy | None = None
    events: list[dict[str, object]] = field(default_factory=list)
    threats: list[object] = field(default_factory=list)
    aid: np.ndarray | None = None
    on: str = ""
    gap_days: float = 365.0
    positions: np.ndarray | None = None
    positions0: np.ndarray | None = None
    theta_b: float = 0.0
    t: np.ndarray | None = None
    offshore: object = None
    troops: dict[str, float] = field(default_factory=dict)
    commitments: dict[str, dict[str, float]] = field(default_factory=dict)
    milex_share: np.ndarray | None = None

    # -- the components ---------------------------------------------------------------------
    def members(self, code: str) -> list[int]:
        return [self.world.index(c) for c in self.world.expand(code)]

    def capability_threat(self, code: str, milex: np.ndarray) -> tuple[float, float]:
        """(C_i, T_i) of the module docstring for ``code`` (an economy or a group)."""
        w = self.world
        mine = set(w.expand(code))
        own = math.fsum(np.nan_to_num(milex[[w.index(c) for c in mine]]))
        allies = self.allies_of(code)
        support = math.fsum(k * float(np.nan_to_num(milex[w.index(a)]))
                            for a, k in sorted(allies.items()))
        outside = [k for k, c in enumerate(w.codes) if c not in mine and c not in allies
                   and c != "ROW" and c not in w.constituents and np.isfinite(milex[k])]
        threat = max((float(milex[k]) for k in outside), default=np.nan)
        return own + support, threat

    def allies_of(self, code: str) -> dict[str, float]:
        """Allies of ``code`` (of any of its members) and the credibility of their support."""
        mine = set(self.world.expand(code))
        out: dict[str, float] = {}
        for m in mine:
            for a, k in self.allies.get(m, {}).items():
                if a not in mine:
                    out[a] = max(out.get(a, 0.0), k)
        return out

    def security(self, code: str, milex: np.ndarray) -> float:
        c, t = self.capability_threat(code, milex)
        r0 = self.ratio0.get(code, np.nan)
        if not (np.isfinite(c) and np.isfinite(t) and t > 0 and c > 0 and np.isfinite(r0)
                and r0 > 0):
            return np.nan
        return 100.0 * ((c / t) / r0 - 1.0)

    def legitimacy_pct(self, code: str, ell: Mapping[str, np.ndarray],
                       among: list[str] | None = None) -> float:
        """100 (GDP-weighted mean R − 1) of power ``code`` over ``among`` (default: every other
        economy); NaN if its legitimacy is not followed."""
        if code not in ell:
            return np.nan
        w = self.world
        mine = set(w.expand(code))
        codes = [c for c in (w.codes if among is None else among) if c not in mine]
        if not codes:
            return np.nan
        idx = [w.index(c) for c in codes]
        return 100.0 * (_mean(np.exp(ell[code][idx]), w.gdp[idx]) - 1.0)

    def alignment_pts(self, code: str, positions: np.ndarray | None) -> float:
        """100 × the GDP-weighted mean shift of the others' positions towards pole ``code``."""
        if code not in POLES or positions is None or self.positions0 is None:
            return np.nan
        w = self.world
        idx = [k for k, c in enumerate(w.codes) if c not in POLES]
        shift = positions[idx] - self.positions0[idx]
        return 100.0 * POLES[code] * _mean(shift, w.gdp[idx])

    def realised(self, code: str, welfare: float, milex: np.ndarray,
                 ell: Mapping[str, np.ndarray], positions: np.ndarray | None
                 ) -> dict[str, float]:
        """The components of ``code`` from the layers' states after a date."""
        allies = list(self.allies_of(code))
        return {"welfare": welfare, "security": self.security(code, milex),
                "legitimacy": self.legitimacy_pct(code, ell),
                "legitimacy_allies": self.legitimacy_pct(code, ell, allies) if allies
                else np.nan,
                "alignment": self.alignment_pts(code, positions)}

    # -- a candidate ------------------------------------------------------------------------
    def project(self, code: str, t: np.ndarray, welfare_pct: np.ndarray) -> dict[str, float]:
        """The components of ``code`` if the tariffs were ``t`` (``welfare_pct``: every
        economy's welfare change in its equilibrium), by the rules of the module docstring."""
        w = self.world
        idx = self.members(code)
        welfare = _mean(np.asarray(welfare_pct, dtype=float)[idx], w.gdp[idx])
        milex = self.milex * (1.0 + welfare_pct / 100.0) / self.real_income
        ell = dict(self.log_legitimacy)
        if self.legitimacy is not None:
            tau = float(self.legitimacy.params["tau_days"])
            for g in ell:
                x = self.legitimacy.pressure(w, t, self.events, g, self.on, self.threats,
                                             self.aid if g == "USA" else None)[3]
                ell[g] = legitimacy_step(self.log_legitimacy[g], x, self.gap_days, tau)
        positions = self.positions
        if positions is not None and self.t is not None and {"USA", "CHN"} <= set(w.codes):
            us, cn = w.index("USA"), w.index("CHN")

            def burden(tt: np.ndarray, g: int) -> np.ndarray:
                return discrimination_burden(tt, w.tariffs, w.trade, w.gdp, g)

            d_us = burden(t, us) - burden(self.t, us)
            d_cn = burden(t, cn) - burden(self.t, cn)
            positions = np.clip(positions - self.theta_b * (d_us - d_cn), -1.0, 1.0)
            positions[us], positions[cn] = 1.0, -1.0
        return self.realised(code, welfare, milex, ell, positions)

