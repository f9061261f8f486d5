"""Liberal internationalism: non-discrimination, no retaliation, alliances honoured, aid given."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation
from worldorder.security.aid import aid_level

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
    It gives aid: it keeps its foreign aid at ``aid_level`` times the base year's (default 1,
    the base year: the ``aid`` layer's fiscal year, FY2020 for the US). With F the level of its
    aid after the records so far (:func:`~worldorder.security.aid.aid_level`: cuts, restorations
    and new aid stated as shares of every recipient's aid), when F is below 1 it restores what
    was cut (``aid_restore`` of the share r = 1 − (1 − L)/(1 − F) of it, L = min(``aid_level``,
    1): all of it by default), and when the target is above the base year it adds new aid
    (``aid_give`` of ``aid_level`` − max(F, 1)); each with the level in its reason. Restored
    aid moves its payoff through alignment (the ``alignment`` layer's aid term: recipients move
    towards the US by θ_A times the aid restored in % of their GDP) and through legitimacy
    (aid restored up to the base year removes the pressure of the aid withdrawn, a ·
    ``aid_weight`` per % of GDP; aid above it earns none); the ``aid`` layer prices the gains
    per recipient.
    ``aid_level: 0`` turns the rule off.

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 1, security 0.5, legitimacy 1,
    alignment 0.5 — an order-maker values its legitimacy as much as its welfare, and its pull on
    others (Ikenberry 2011).
    """

    name: ClassVar[str] = "liberal_internationalist"
    summary: ClassVar[str] = "MFN tariffs, never retaliates, honours alliances, keeps aid"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "liberal",
        "instruments": ("exemption", "commitment", "aid_restore", "aid_give"), "memory": 0,
        "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Ikenberry (2011), Liberal Leviathan, Princeton University Press",
        "GATT Article I (most-favoured-nation treatment)",
        "Lancaster, C. (2007), Foreign Aid: Diplomacy, Development, Domestic Politics, "
        "University of Chicago Press",
    )

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 0.5, "legitimacy": 1.0, "alignment": 0.5}

    credibility: float = Field(default=1.0, ge=0.0, le=1.0)
    aid_level: float = Field(default=1.0, ge=0.0, le=10.0)

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
        return out + self._aid(obs)

    def _aid(self, obs: Observation) -> list[Choice]:
        """Aid kept at ``aid_level`` times the base year's: restore what was cut, add new aid
        above the base year."""
        if self.aid_level <= 0:
            return []
        level, _ = aid_level(obs.aid, donor=obs.me)
        out = []
        goal = min(self.aid_level, 1.0)
        if level < goal - 1e-12:
            r = 1.0 if goal >= 1.0 else 1.0 - (1.0 - goal) / (1.0 - level)
            out.append(Choice(make_action("aid_restore", donor=obs.me, share=r,
                                          program="aid cut earlier restored"),
                              f"aid at {100 * level:.0f}% of the base year's: "
                              f"{100 * r:.0f}% of the cut restored"))
            level = 1.0 - (1.0 - r) * (1.0 - level)
        if self.aid_level > max(level, 1.0) + 1e-12:
            g = self.aid_level - max(level, 1.0)
            out.append(Choice(make_action("aid_give", donor=obs.me, share=g,
                                          program="new aid"),
                              f"aid raised to {100 * self.aid_level:.0f}% of the base "
                              f"year's: new aid of {100 * g:.0f}% of it"))
        return out
