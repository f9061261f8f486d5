"""The stabiliser: unilateral opening."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation

__all__ = ["Stabiliser"]


@register_doctrine
class Stabiliser(Doctrine):
    """A great power that poses as the stabiliser: "the world's market".

    Rule, each period: every tariff this state charges is cut by the fraction ``cut`` (all-in,
    on every partner), down to zero; it never retaliates. Kindleberger's stabiliser keeps its
    market open in a slump; China's 2025 zero-tariff offers to the least developed countries
    are the stylised case.

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 1, security 0.25, legitimacy 1,
    alignment 0.5 — Kindleberger's stabiliser buys legitimacy and pull with its open market.
    """

    name: ClassVar[str] = "stabiliser"
    summary: ClassVar[str] = "unilateral opening: cut own tariffs every period"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "stabiliser", "instruments": ("tariff",), "memory": 0, "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Kindleberger (1973), The World in Depression 1929-1939: 'an open market for distress "
        "goods'",
        "State Council Tariff Commission (2024): zero tariffs for the least developed countries",
    )

    cut: float = 0.25

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 0.25, "legitimacy": 1.0, "alignment": 0.5}

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        me = obs.members(obs.me)[0]
        others = [c for c in obs.world.codes if c not in obs.world.expand(obs.me)]
        rates = {c: float(obs.t[obs.world.index(c), me]) for c in others}
        if max(rates.values(), default=0.0) <= 1e-9:
            return []
        schedule = {c: (1.0 - self.cut) * r for c, r in rates.items()}
        return [Choice(make_action("tariff", by=obs.me, on=schedule, basis="total"),
                       f"cuts every tariff by {100 * self.cut:g}%: an open market")]
