"""What an agent observes before it chooses: :class:`Observation`.

An agent sees the tariffs in force and at the baseline, the trade costs, who raised or lowered
tariffs on it since the last period, every agent's previous choices (its memory), and its own
payoff path; and it can *evaluate* candidate tariff matrices with the trade model (a full
general-equilibrium solve, warm-started), which is how doctrines that optimise choose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from worldorder.agents.payoffs import Standing, total
from worldorder.data.world import World
from worldorder.engine.layers.politics import AidCutRecord

__all__ = ["Observation", "PastChoice"]


@dataclass(frozen=True)
class PastChoice:
    """An agent's choice on an earlier date (what others remember)."""

    date: str
    agent: str
    action: str
    targets: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Observation:
    """One agent's view of the world on a date, before that date's actions.

    Attributes:
        me: The agent's economy (or group) code.
        date: The date of the choice.
        period: How many choices agents have made before this one (0 at the first).
        world: The World.
        t: Tariffs in force (``t[j, i]`` charged by i on goods from j); a copy.
        t0: Baseline tariffs.
        t_previous: Tariffs in force at the agent's previous choice (``t0`` at the first).
        dhat: Trade-cost changes in force.
        history: Every agent's earlier choices, oldest first.
        payoffs: The agent's payoff (its welfare change, %) after each earlier period.
        peers: Every agent of the simulation and its doctrine's name.
        evaluate: ``evaluate(t) -> welfare_pct`` of every economy (array in World order) if
            the tariffs were ``t`` and trade costs ``dhat``: a full equilibrium solve.
        standing: What the security layers say on the date (military spending, alliances,
            legitimacy, alignment, offshore verdicts, troops, commitments); ``None`` when the
            simulation runs without them (then the payoff is welfare alone).
        weights: The agent's payoff weights (its doctrine's, with the scenario's overrides).
        memberships: The political state's memberships on the date (``economy, organization,
            since, until``; a ``withdraw`` sets ``until``), read-only; ``None`` when not given.
        aid: The political state's aid records so far (cuts, restorations, new aid: the
            :class:`~worldorder.engine.layers.politics.AidCutRecord`), oldest first.
    """

    me: str
    date: str
    period: int
    world: World
    t: np.ndarray
    t0: np.ndarray
    t_previous: np.ndarray
    dhat: np.ndarray | None
    history: tuple[PastChoice, ...]
    payoffs: tuple[float, ...]
    peers: dict[str, str]
    evaluate: Callable[[np.ndarray], np.ndarray] = field(repr=False)
    standing: Standing | None = field(default=None, repr=False)
    weights: Mapping[str, float] = field(default_factory=lambda: {"welfare": 1.0})
    memberships: pd.DataFrame | None = field(default=None, repr=False)
    aid: tuple[AidCutRecord, ...] = ()

    def components(self, t: np.ndarray, code: str | None = None,
                   welfare_pct: np.ndarray | None = None) -> dict[str, float]:
        """The payoff's components of ``code`` (default: the agent) if the tariffs were
        ``t``: welfare by a full equilibrium solve, the others projected by
        :meth:`~worldorder.agents.payoffs.Standing.project` (welfare alone without the
        security layers; ``welfare_pct``: the solve of ``t`` if already made)."""
        w = self.evaluate(t) if welfare_pct is None else welfare_pct
        if self.standing is None:
            return {"welfare": self.welfare(w, code)}
        return self.standing.project(code or self.me, t, w)

    def score(self, t: np.ndarray, welfare_pct: np.ndarray | None = None) -> float:
        """The agent's payoff u = Σ ω_k c_k (its weights) if the tariffs were ``t``."""
        return total(self.components(t, welfare_pct=welfare_pct), self.weights)

    def patron_absent(self, code: str) -> bool:
        """Whether ``code`` is not an economy or group of the World (a doctrine's parameter
        naming a power the dataset lacks)."""
        return not self.world.is_known(code)

    def members(self, code: str) -> list[int]:
        """Indices of the economies of ``code`` (a group's members, or the economy)."""
        return [self.world.index(c) for c in self.world.expand(code)]

    def surcharge_on(self, me: str, by: str, t: np.ndarray | None = None) -> float:
        """Trade-weighted additional duty (above the baseline) that ``by`` charges on ``me``."""
        tt = self.t if t is None else t
        mine, theirs = self.members(me), self.members(by)
        w = self.world.trade[np.ix_(mine, theirs)]
        extra = (tt - self.t0)[np.ix_(mine, theirs)]
        return float((w * extra).sum() / w.sum()) if w.sum() > 0 else float(extra.mean())

    def coercers(self, threshold: float = 0.005) -> list[str]:
        """Economies that raised their duties on the agent since its previous choice by more
        than ``threshold`` (trade-weighted), largest rise first."""
        rises = []
        for code in self.world.codes:
            if code in self.world.expand(self.me):
                continue
            rise = self.surcharge_on(self.me, code) - self.surcharge_on(self.me, code,
                                                                         self.t_previous)
            if rise > threshold:
                rises.append((rise, code))
        return [c for _, c in sorted(rises, reverse=True)]

    def welfare(self, welfare_pct: np.ndarray, code: str | None = None) -> float:
        """Income-weighted welfare change (%) of ``code`` (default: the agent) from an array
        returned by :attr:`evaluate`."""
        idx = self.members(code or self.me)
        gdp = self.world.gdp[idx]
        return float((gdp * welfare_pct[idx]).sum() / gdp.sum())
