"""Middle powers together: "if we're not at the table, we're on the menu"."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation

__all__ = ["MiddlePowerCoalition"]


@register_doctrine
class MiddlePowerCoalition(Doctrine):
    """Flexible coalitions of middle powers against a coercing great power (Carney 2026).

    Rule, each period: for each great power in ``hegemons`` that charges this state more than
    ``threshold`` above the baseline (trade-weighted), the agents of this doctrine that it
    coerces likewise form a coalition against it: free trade among themselves and a joint
    ``response`` to it (``mirror`` or ``optimal``), when they are at least ``min_members``. The
    first of them (alphabetically) proposes it for all; a coerced member alone retaliates by
    mirror. A coalition already formed against the same hegemon with the same members is not
    formed again.

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 1, security 0.5, legitimacy 0,
    alignment 0 — welfare first, security half as much.
    """

    name: ClassVar[str] = "middle_power_coalition"
    summary: ClassVar[str] = "join coalitions of middle powers when a great power coerces"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "coalition", "instruments": ("coalition", "retaliation"), "memory": 1,
        "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Carney (2026), address to the World Economic Forum, Davos",
        "Cooper, Higgott & Nossal (1993), Relocating Middle Powers, UBC Press",
    )

    hegemons: tuple[str, ...] = ("USA", "CHN")
    threshold: float = 0.05
    min_members: int = 2
    response: Literal["mirror", "optimal"] = "mirror"

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 0.5, "legitimacy": 0.0, "alignment": 0.0}

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        out = []
        for heg in self.hegemons:
            if obs.patron_absent(heg) or heg in obs.world.expand(obs.me) or heg == obs.me:
                continue
            if obs.surcharge_on(obs.me, heg) <= self.threshold:
                continue
            members = sorted(a for a, d in obs.peers.items() if d == self.name and a != heg
                             and obs.surcharge_on(a, heg) > self.threshold)
            if len(members) < self.min_members:
                out.append(Choice(make_action("retaliation", by=obs.me, against=heg,
                                              rule="mirror"),
                                  f"coerced by {heg}, no partners yet: mirror"))
                continue
            done = any(c.action == "coalition" and set(c.targets) == {heg, *members}
                       for c in obs.history)
            if members[0] == obs.me and not done:
                out.append(Choice(make_action("coalition", members=members, against=heg,
                                              response=self.response),
                                  f"coerced by {heg} with {', '.join(members)}: at the "
                                  "table together"))
        return out
