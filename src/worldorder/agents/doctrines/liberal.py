"""Liberal internationalism: non-discrimination and no retaliation."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation

__all__ = ["LiberalInternationalist"]


@register_doctrine
class LiberalInternationalist(Doctrine):
    """The post-1945 liberal order's trade rule: MFN tariffs, no discrimination, no retaliation.

    Rule, each period: if this state charges any partner more than its baseline (MFN or
    preferential) rate, it removes every additional duty (back to the baseline); it never raises
    a tariff, whatever others do (in trade it is the unconditional co-operator of Axelrod's
    tournaments). It honours its alliances: when the security layers run, its commitment to
    each of its allies (the dataset's ``alliances``) is affirmed at ``credibility`` (a
    ``commitment``, made again only if its credibility on the record differs) — under the
    alliances layer's coercive burden-sharing rule allies then feel no threat of abandonment.

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 1, security 0.5, legitimacy 1,
    alignment 0.5 — an order-maker values its legitimacy as much as its welfare, and its pull on
    others (Ikenberry 2011).
    """

    name: ClassVar[str] = "liberal_internationalist"
    summary: ClassVar[str] = "MFN tariffs: remove additional duties, never retaliate"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "liberal", "instruments": ("exemption", "commitment"), "memory": 0,
        "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Ikenberry (2011), Liberal Leviathan, Princeton University Press",
        "GATT Article I (most-favoured-nation treatment)",
    )

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 0.5, "legitimacy": 1.0, "alignment": 0.5}

    credibility: float = Field(default=1.0, ge=0.0, le=1.0)

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        out = []
        mine = obs.members(obs.me)
        if not np.all((obs.t - obs.t0)[:, mine] <= 1e-12):
            out.append(Choice(make_action("exemption", by=obs.me, on="all", share=1.0),
                              "back to MFN: every additional duty removed"))
        s = obs.standing
        if s is not None:
            given = s.commitments.get(obs.me, {})
            stale = sorted(a for a in s.allies_of(obs.me)
                           if abs(given.get(a, -1.0) - self.credibility) > 1e-12)
            if stale:
                out.append(Choice(make_action("commitment", patron=obs.me, allies=stale,
                                              credibility=self.credibility),
                                  "alliances honoured: commitments affirmed"))
        return out
