"""Strategic autonomy: the fortress."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation

__all__ = ["Fortress"]


@register_doctrine
class Fortress(Doctrine):
    """Strategic autonomy as a tariff wall: one all-in rate on everyone outside the bloc.

    Rule, each period: every partner outside ``bloc`` (and outside the state's own group) is
    charged ``rate`` all-in, whatever it does; the bloc trades at its baseline rates. The world
    this makes, if many follow it, is Carney's "world of fortresses".

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 0.5, security 1, legitimacy 0,
    alignment 0 — autonomy: security before welfare.
    """

    name: ClassVar[str] = "fortress"
    summary: ClassVar[str] = "strategic-autonomy tariff wall around a bloc"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "autonomy", "instruments": ("tariff",), "memory": 0, "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Carney (2026), address to the World Economic Forum, Davos: 'a world of fortresses'",
        "Helwig & Sinkkonen (2022), 'Strategic Autonomy and the EU as a Global Actor', "
        "European Foreign Affairs Review 27",
    )

    rate: float = 0.25
    bloc: tuple[str, ...] = ()

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 0.5, "security": 1.0, "legitimacy": 0.0, "alignment": 0.0}

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        inside = set(obs.world.expand(obs.me)) | {c for b in self.bloc
                                                   for c in obs.world.expand(b)}
        outside = [c for c in obs.world.codes if c not in inside]
        mine = obs.members(obs.me)
        rows = [obs.world.index(c) for c in outside]
        if not rows or np.allclose(obs.t[np.ix_(rows, mine)], self.rate, atol=1e-12):
            return []
        return [Choice(make_action("tariff", by=obs.me, on="all", rate=self.rate,
                                   exempt=sorted(inside - set(obs.world.expand(obs.me))),
                                   basis="total"),
                       f"tariff wall of {100 * self.rate:g}% around the bloc")]
