"""Accommodation: subordination and hedging."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation

__all__ = ["Hedger", "Subordinate"]


@register_doctrine
class Subordinate(Doctrine):
    """Bandwagoning with a coercive patron: accept its terms.

    Rule, each period: if ``patron`` charges this state more than its baseline rates and this
    state still charges the patron anything, this state removes every tariff on the patron
    (all-in zero: the market access the 2025 deals conceded), and records no retaliation. A
    transactional patron then answers with a deal rate.

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 1, security 1, legitimacy 0,
    alignment 0 — protection and market access from the patron.
    """

    name: ClassVar[str] = "subordinate"
    summary: ClassVar[str] = "accept a coercive patron's terms (open the market to it)"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "accommodating", "instruments": ("tariff",), "memory": 0,
        "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Walt (1987), The Origins of Alliances: bandwagoning",
        "Schweller (1994), 'Bandwagoning for Profit', International Security 19(1)",
    )

    patron: str = "USA"

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 1.0, "legitimacy": 0.0, "alignment": 0.0}

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        if obs.patron_absent(self.patron):
            return []
        pressed = obs.surcharge_on(obs.me, self.patron) > 1e-9
        mine = obs.t[np.ix_(obs.members(self.patron), obs.members(obs.me))]
        if not pressed or float(mine.max()) <= 1e-12:
            return []
        return [Choice(make_action("tariff", by=obs.me, on=[self.patron], rate=0.0,
                                   basis="total"),
                       f"accepts {self.patron}'s terms: zero tariffs on it")]


@register_doctrine
class Hedger(Doctrine):
    """Hedging: answer coercion by half, and keep every door open.

    Rule, each period: every partner that raised its duties on this state since its previous
    choice is answered with an additional duty of ``share`` times the one it now charges (a
    calibrated, partial answer); no partner is favoured and nothing else changes.

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 1, security 0.5, legitimacy 0,
    alignment 0 — welfare first, security half as much.
    """

    name: ClassVar[str] = "hedger"
    summary: ClassVar[str] = "partial answers to coercion, no side taken"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "hedging", "instruments": ("tariff",), "memory": 1, "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Kuik (2008), 'The Essence of Hedging', Contemporary Southeast Asia 30(2)",
    )

    share: float = 0.5

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 0.5, "legitimacy": 0.0, "alignment": 0.0}

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        out = []
        for code in obs.coercers():
            rate = self.share * obs.surcharge_on(obs.me, code)
            out.append(Choice(make_action("tariff", by=obs.me, on=[code], rate=rate),
                              f"{code} raised its duties: answered by "
                              f"{100 * self.share:g}% of them"))
        return out
