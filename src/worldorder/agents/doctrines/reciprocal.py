"""Reciprocity in tariffs: tit for tat."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation

__all__ = ["Reciprocator"]


@register_doctrine
class Reciprocator(Doctrine):
    """Tit for tat in tariffs (Axelrod 1984): answer each partner's last move in kind.

    Rule, each period: every partner that raised its duties on this state since the state's
    previous choice (trade-weighted rise above ``threshold``) is answered by mirror retaliation
    (the same additional rate on it); every partner that has removed its additional duties on
    this state while this state still taxes it above the baseline is forgiven (its additional
    duties are removed). Nothing else: it never moves first.

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 1, security 0.5, legitimacy 0,
    alignment 0 — welfare first, security half as much (a trading state that answers in kind).
    """

    name: ClassVar[str] = "reciprocator"
    summary: ClassVar[str] = "tit for tat: mirror new duties, forgive removed ones"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "reciprocal", "instruments": ("retaliation", "exemption"), "memory": 1,
        "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Axelrod (1984), The Evolution of Cooperation, Basic Books",
        "Bagwell & Staiger (1999), 'An Economic Theory of GATT', AER 89(1): reciprocity",
    )

    threshold: float = 0.005

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 0.5, "legitimacy": 0.0, "alignment": 0.0}

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        out = [Choice(make_action("retaliation", by=obs.me, against=c, rule="mirror"),
                      f"{c} raised its duties on {obs.me}: answered in kind")
               for c in obs.coercers(self.threshold)]
        for code in obs.world.codes:
            if code in obs.world.expand(obs.me):
                continue
            theirs = obs.surcharge_on(obs.me, code)
            mine = obs.surcharge_on(code, obs.me)
            was = obs.surcharge_on(obs.me, code, obs.t_previous)
            if theirs <= 1e-9 < mine and was > 1e-9:
                out.append(Choice(make_action("exemption", by=obs.me, on=[code], share=1.0),
                                  f"{code} removed its additional duties: forgiven"))
        return out
