"""The revisionist: raise relative power, coerce neighbours, court hedgers."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation
from worldorder.security.layer import dataset_regions
from worldorder.trade.instruments import apply_change, tariff_change

__all__ = ["Revisionist"]


@register_doctrine
class Revisionist(Doctrine):
    """A rising power that revises the order in its favour (Organski 1958; Gilpin 1981).

    Rule, each period:

    1. **coerce neighbours**: its neighbours are the economies that share a region of the
       security layer with it (``neighbours`` overrides the list); those that lean to the
       other pole (alignment position above ``lean`` on the US side, or every neighbour when
       the alignment layer is off) are candidate targets (never a hedger of rule 2). For each,
       additional duties of ``step``, 2 ``step``, ... up to ``upper`` on it are evaluated with
       the full equilibrium and the doctrine's payoff (its ``score``: welfare, security as
       capability against threat, legitimacy, alignment); the best is imposed when it beats
       leaving the target alone, at most ``max_targets`` targets a period (largest gain
       first). It raises its relative power where the model says coercion pays.
    2. **court hedgers**: every other economy whose alignment position lies within ``band`` of
       the middle (−band ≤ p ≤ band, and not above ``lean``) and on which it still charges a
       tariff gets a deal: its
       tariffs on it fall to zero all-in (``tariff_deal`` with a market-access pledge, which the
       alignment layer counts as a deal that pulls the partner towards it).

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 0.5, security 1, legitimacy 0,
    alignment 1 — relative power and pull before income.
    """

    name: ClassVar[str] = "revisionist"
    summary: ClassVar[str] = "coerce neighbours where it pays, court hedgers with open markets"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "revisionist", "instruments": ("tariff", "tariff_deal"), "memory": 0,
        "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Organski (1958), World Politics: power-transition theory",
        "Gilpin (1981), War and Change in World Politics, Cambridge University Press",
        "Schweller (1994), 'Bandwagoning for Profit', International Security 19(1): "
        "revisionist states",
        "Hirschman (1945), National Power and the Structure of Foreign Trade",
    )
    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 0.5, "security": 1.0, "legitimacy": 0.0, "alignment": 1.0}

    neighbours: tuple[str, ...] = ()
    lean: float = 0.3
    step: float = 0.10
    upper: float = 0.30
    max_targets: int = 2
    band: float = 0.3

    def _neighbours(self, obs: Observation) -> list[str]:
        if self.neighbours:
            return [c for c in self.neighbours if obs.world.is_known(c) and c != obs.me]
        mine = set(obs.world.expand(obs.me))
        out: list[str] = []
        for members in dataset_regions(obs.world).values():
            if mine & set(members):
                out += [c for c in members if c not in mine and c not in out]
        return out

    def _position(self, obs: Observation, code: str) -> float | None:
        s = obs.standing
        if s is None or s.positions is None:
            return None
        idx = obs.members(code)
        p = s.positions[idx]
        return float(np.nanmean(p)) if np.isfinite(p).any() else None

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        out: list[Choice] = []
        base = obs.score(obs.t)
        gains = []
        for code in self._neighbours(obs):
            p = self._position(obs, code)
            if p is not None and p <= self.lean:
                continue
            now = obs.surcharge_on(code, obs.me)
            best, best_rate = base, None
            for rate in np.arange(now + self.step, self.upper + 1e-9, self.step):
                change = tariff_change(obs.world, obs.me, [code], float(rate))
                t = apply_change(obs.t, obs.t0, change)
                u = obs.score(t)
                if u > best + 1e-9:
                    best, best_rate = u, float(rate)
            if best_rate is not None:
                gains.append((best - base, code, best_rate))
        gains.sort(key=lambda g: (-g[0], g[1]))
        coerced = set()
        for gain, code, rate in gains[: self.max_targets]:
            coerced.add(code)
            out.append(Choice(make_action("tariff", by=obs.me, on=[code], rate=rate),
                              f"{code}, a neighbour leaning away: an additional "
                              f"{100 * rate:.0f}% raises its payoff by {gain:.3g}"))
        mine = obs.members(obs.me)
        for code in obs.world.codes:
            if code in obs.world.expand(obs.me) or code in coerced or code == "ROW":
                continue
            p = self._position(obs, code)
            if p is None or abs(p) > self.band or p > self.lean:
                continue
            if float(obs.t[np.ix_(obs.members(code), mine)].max()) <= 1e-12:
                continue
            out.append(Choice(make_action(
                "tariff_deal", imposer=obs.me, partner=code, rate=0.0, basis="total",
                pledges=[{"kind": "market_access", "by": obs.me,
                          "note": "zero tariffs for a hedger"}]),
                f"{code} hedges (position {p:+.2f}): courted with zero tariffs"))
        return out
