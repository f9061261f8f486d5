"""Liberal internationalism: non-discrimination and no retaliation."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation

__all__ = ["LiberalInternationalist"]


@register_doctrine
class LiberalInternationalist(Doctrine):
    """The post-1945 liberal order's trade rule: MFN tariffs, no discrimination, no retaliation.

    Rule, each period: if this state charges any partner more than its baseline (MFN or
    preferential) rate, it removes every additional duty (back to the baseline); it never raises
    a tariff, whatever others do. (Its institutional and alliance commitments are the security
    layer's; in trade it is the unconditional co-operator of Axelrod's tournaments.)
    """

    name: ClassVar[str] = "liberal_internationalist"
    summary: ClassVar[str] = "MFN tariffs: remove additional duties, never retaliate"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "liberal", "instruments": ("exemption",), "memory": 0, "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Ikenberry (2011), Liberal Leviathan, Princeton University Press",
        "GATT Article I (most-favoured-nation treatment)",
    )

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        mine = obs.members(obs.me)
        if np.all((obs.t - obs.t0)[:, mine] <= 1e-12):
            return []
        return [Choice(make_action("exemption", by=obs.me, on="all", share=1.0),
                       "back to MFN: every additional duty removed")]
