"""The offshore balancer: engage only where a regional balance fails."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation
from worldorder.security.layer import dataset_regions

__all__ = ["OffshoreBalancer"]


@register_doctrine
class OffshoreBalancer(Doctrine):
    """Offshore balancing (Mearsheimer & Walt 2016): let local powers balance, come ashore only
    where they cannot.

    Rule, each period, from the ``alliances`` layer's offshore-balancing verdict of the previous
    date (model ``model``: does the region balance its potential hegemon without the US?):

    1. where the **balance holds**, the troops it stations in the region's economies go home,
       a share ``pace`` of those still there each period (``troop_posture``), and its
       commitment to its allies there falls to credibility ``pullback`` (``commitment``): the
       allies must carry their own defence (under the alliances layer's coercive
       burden-sharing rule their spending on a pledge path rises with the credibility of the
       threat of abandonment, 1 − ``pullback``);
    2. where the **balance fails**, its commitment to its allies there is (re)affirmed at
       credibility ``onshore``, and when fewer than ``surge`` of its troops are in the region it
       sends the difference to the region's ally that hosts most;
    3. in trade it does nothing (tariffs are not its instrument).

    No verdict yet (the first date, or a run without the alliances layer): no action.

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 1, security 1, legitimacy 0.25,
    alignment 0 — security bought at the least cost.
    """

    name: ClassVar[str] = "offshore_balancer"
    summary: ClassVar[str] = "troops and commitments only where a regional balance fails"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "realist", "instruments": ("troop_posture", "commitment"), "memory": 1,
        "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Mearsheimer & Walt (2016), 'The Case for Offshore Balancing', Foreign Affairs 95(4)",
        "Layne (1997), 'From Preponderance to Offshore Balancing', International Security "
        "22(1)",
        "Blankenship (2021), The Price of Protection, Security Studies 30(5)",
    )
    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 1.0, "legitimacy": 0.25, "alignment": 0.0}

    model: str = "offshore-balancing"
    pace: float = 0.5
    pullback: float = 0.25
    onshore: float = 1.0
    surge: float = 10000.0
    min_move: float = 100.0

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        s = obs.standing
        verdicts = s.offshore if s is not None else None
        if not isinstance(verdicts, pd.DataFrame) or verdicts.empty:
            return []
        rows = verdicts[verdicts["model"] == self.model]
        regions = dataset_regions(obs.world)
        allies = set(s.allies_of(obs.me)) if s is not None else set()
        mine = s.commitments.get(obs.me, {}) if s is not None else {}
        troops = s.troops if s is not None else {}
        out: list[Choice] = []
        for r in rows.itertuples():
            members = [c for c in regions.get(str(r.region), []) if c != obs.me]
            local_allies = sorted(c for c in members if c in allies)
            if bool(r.holds):
                for host in members:
                    n = float(np.floor(self.pace * troops.get(host, 0.0)))
                    if n >= self.min_move:
                        out.append(Choice(make_action("troop_posture", by=obs.me,
                                                      from_host=host, to_host="home",
                                                      troops=int(n)),
                                          f"{r.region} balances itself "
                                          f"({r.balancer_ratio:.2f} of {r.leader}): "
                                          f"{int(n)} troops home from {host}"))
                target = self.pullback
            else:
                present = sum(troops.get(h, 0.0) for h in members)
                if local_allies and present < self.surge - self.min_move:
                    host = max(local_allies, key=lambda h: (troops.get(h, 0.0), h))
                    n = int(self.surge - present)
                    out.append(Choice(make_action("troop_posture", by=obs.me, from_host="home",
                                                  to_host=host, troops=n),
                                      f"{r.region} cannot balance {r.leader} "
                                      f"({r.balancer_ratio:.2f}): {n} troops to {host}"))
                target = self.onshore
            stale = [a for a in local_allies if abs(mine.get(a, -1.0) - target) > 1e-12]
            if stale:
                why = "balances itself: allies carry their defence" if bool(r.holds) else \
                    f"cannot balance {r.leader}: onshore"
                out.append(Choice(make_action("commitment", patron=obs.me, allies=stale,
                                              credibility=target),
                                  f"{r.region} {why} (credibility {target:g})"))
        return out
