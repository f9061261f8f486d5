"""Trade wars: Nash equilibria in tariffs by iterated best responses.

Players (economies, or groups acting as one) choose tariffs simultaneously; each maximises its own
welfare Ŵ_G (income-weighted over its members, see :mod:`worldorder.strategy.best_response`)
given the others' tariffs. A Nash equilibrium is a fixed point of the best responses,

.. math:: r_p = BR_p(r_{-p})\\quad\\text{for every player } p,

found, as in Ossa (2014, "Trade Wars and Trade Talks with Data", AER 104(12)), by iterating best
responses: Gauss–Seidel, players in the order given, each responding to the latest rates of the
others, until no rate moves by more than ``tol`` over a round. Each player's instrument is one
uniform tariff on all its imports from non-members (``targets="all"``) or on the other players
only (``targets="players"``); ``instrument="per_partner"`` gives each player one rate per partner
(L-BFGS-B; slow with many partners). Tariffs that are not instruments keep the rates given in
``t`` (default: the baseline).

Best responses after the first round are searched in a bracket around the previous rate (a short
grid and a bounded Brent search); a rate on the bracket's edge triggers a full search of
[0, upper], and at convergence every player's rate is checked against a full search (a global
best-response jump forces more rounds), so the bracket saves solves but not correctness.

Iterated best responses need not converge, and an equilibrium need not be unique: the search is
run from several starting points (``baseline``: the tariffs given; ``free_trade``: every
instrument at zero; ``high``: every instrument at ``upper``; or a number: every instrument at that
rate). Converged results that differ by more than 1e-3 in some rate are reported as distinct
equilibria. Starts are processed in a canonical order (baseline, free_trade, high, then numbers
ascending), whatever the order given, so results do not depend on it; the reported equilibrium is
the one reached from the first converged start in that order.

The cooperative benchmark beside it: free trade among the players (their tariffs on each other at
zero), every other tariff as given. In a symmetric world it beats the Nash equilibrium for every
player: the prisoner's dilemma of tariffs (Johnson 1953–54; Ossa 2014).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from worldorder.errors import ConvergenceError
from worldorder.numerics import maximise_scalar
from worldorder.progress import report as report_progress
from worldorder.strategy.best_response import (
    Objective,
    Player,
    StrategyError,
    as_evaluator,
    check_bound,
    partner_blocks,
    resolve_player,
    search_per_partner,
    search_uniform,
)

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.trade.evaluator import Evaluator
    from worldorder.trade.params import ModelParams

__all__ = ["DISTINCT", "StartReport", "TradeWar", "trade_war"]

DISTINCT = 1e-3  # rates further apart than this are different equilibria
NAMED_STARTS = ("baseline", "free_trade", "high")
BRACKET = 0.05  # half-width of the local best-response search after the first round


@dataclass(frozen=True)
class StartReport:
    """How the iteration went from one starting point.

    Attributes:
        start: ``baseline``, ``free_trade``, ``high`` or the starting rate as text.
        rounds: Rounds of best responses played.
        max_change: The largest change of any rate in the last round.
        converged: Whether ``max_change < tol`` (and the full-search check passed).
        rates: Each player's rate at the end (mean over partners for ``per_partner``).
        welfare: Each player's Ŵ at the end.
        history: The largest change in each round.
    """

    start: str
    rounds: int
    max_change: float
    converged: bool
    rates: dict[str, float]
    welfare: dict[str, float]
    history: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class TradeWar:
    """A Nash equilibrium in tariffs, its convergence report and the cooperative benchmark.

    Attributes:
        players: Player labels, in the order of play; ``targets``, ``instrument`` as given.
        rates: Each player's Nash rate (the whole rate charged; for ``per_partner`` the mean
            over its partners, see ``schedules``).
        schedules: Player -> partner label -> rate (under the uniform instrument one entry:
            ``all`` = every non-member, or the other players joined by ``+``).
        welfare: Ŵ of each player at the Nash equilibrium (1 = the dataset's baseline).
        welfare_start: Ŵ of each player at the tariffs given.
        cooperative: Ŵ of each player under free trade among the players, other tariffs as given.
        t, t_cooperative: The tariff matrices of the equilibrium and of the benchmark.
        starts: A :class:`StartReport` per starting point, in the canonical order.
        equilibria: Distinct equilibria found (player -> rate), the reported one first.
        solves, seconds: Equilibria solved and wall time.
        at_bound: Player -> whether one of its Nash rates sits on the search's upper bound
            (the best response may then lie beyond it) or at the edge of the model's domain.
        at_edge: Player -> whether its Nash rates are the highest with a valid equilibrium
            (raising them by 0.1 point leaves none): that edge, not an interior optimum, sets
            them.
    """

    players: tuple[str, ...]
    targets: str
    instrument: str
    rates: dict[str, float]
    schedules: dict[str, dict[str, float]]
    welfare: dict[str, float]
    welfare_start: dict[str, float]
    cooperative: dict[str, float]
    t: np.ndarray
    t_cooperative: np.ndarray
    starts: tuple[StartReport, ...]
    equilibria: tuple[dict[str, float], ...]
    solves: int
    seconds: float
    at_bound: dict[str, bool] = field(default_factory=dict)
    at_edge: dict[str, bool] = field(default_factory=dict)

    @property
    def multiple(self) -> bool:
        """Whether more than one equilibrium was found."""
        return len(self.equilibria) > 1

    def table(self) -> pd.DataFrame:
        """Per player: Nash rate, welfare at Nash, cooperative and at the start (percent), the
        cost of the war relative to cooperation (percentage points), and whether the Nash rate
        sits on the search's upper bound."""
        return pd.DataFrame([
            {"player": p, "nash_rate": self.rates[p],
             "nash_welfare_pct": 100 * (self.welfare[p] - 1),
             "cooperative_welfare_pct": 100 * (self.cooperative[p] - 1),
             "start_welfare_pct": 100 * (self.welfare_start[p] - 1),
             "cost_of_war_pp": 100 * (self.cooperative[p] - self.welfare[p]),
             "at_bound": self.at_bound.get(p, False)}
            for p in self.players])

    def convergence(self) -> pd.DataFrame:
        """Per start: rounds, last max change, converged, and the rates reached."""
        return pd.DataFrame([
            {"start": s.start, "rounds": s.rounds, "max_change": s.max_change,
             "converged": s.converged, **{f"rate_{p}": s.rates[p] for p in self.players}}
            for s in self.starts])


class _Game:
    """Players, their instruments and the best-response step."""

    def __init__(self, ev: Evaluator, players: list[Player], blocks: list[list],
                 upper: float, dhat: np.ndarray | None, per_partner: bool) -> None:
        self.ev, self.players, self.blocks = ev, players, blocks
        self.upper, self.dhat, self.per_partner = upper, dhat, per_partner

    def set(self, t: np.ndarray, value: float) -> np.ndarray:
        """Every instrument at ``value``."""
        out = t.copy()
        for pl, bl in zip(self.players, self.blocks, strict=True):
            for _, idx in bl:
                out[np.ix_(idx, pl.members)] = value
        return out

    def rates_of(self, t: np.ndarray, p: int) -> np.ndarray:
        """Player p's rate on each of its blocks (the mean over the block's cells)."""
        pl = self.players[p]
        return np.array([float(t[np.ix_(idx, pl.members)].mean()) for _, idx in self.blocks[p]])

    def welfare(self, t: np.ndarray) -> dict[str, float]:
        w = self.ev.welfare(t, self.dhat)
        return {pl.name: pl.welfare(w) for pl in self.players}

    def at_edge(self, t: np.ndarray, p: int) -> bool:
        """Whether player p's rates in ``t`` (below the bound) are the highest with a valid
        equilibrium: 0.1 point more on each has none."""
        rates = self.rates_of(t, p)
        if rates.max() > self.upper - 1e-4:
            return False
        obj = Objective(self.ev, self.players[p], self.blocks[p], t, self.dhat)
        return obj(list(rates + 1e-3)) == -math.inf

    def respond(self, t: np.ndarray, p: int, previous: np.ndarray | None,
                width: float) -> np.ndarray:
        """Player p's best response to ``t``: full search if ``previous`` is None, else a
        bracketed one around it (full search when the answer lands on the bracket's edge)."""
        obj = Objective(self.ev, self.players[p], self.blocks[p], t, self.dhat)
        if self.per_partner:
            x0 = (np.full(len(self.blocks[p]), search_uniform(obj, self.upper).x)
                  if previous is None else previous)
            return search_per_partner(obj, x0, self.upper)[0]
        if previous is not None:
            r = float(previous[0])
            lo, hi = max(r - width, 0.0), min(r + width, self.upper)
            x = maximise_scalar(obj.uniform, lo, hi, points=5,
                                what=f"the tariff of {obj.player.name}").x
            if not ((lo > 0 and x < lo + 1e-5) or (hi < self.upper and x > hi - 1e-5)):
                return np.array([x])
        return np.array([search_uniform(obj, self.upper).x])


def _start_label(s: str | float) -> tuple[tuple[int, float], str, str | float]:
    if isinstance(s, str):
        if s not in NAMED_STARTS:
            raise StrategyError(f"starts: unknown start {s!r} (baseline, free_trade, high or a "
                                "rate)")
        return (NAMED_STARTS.index(s), 0.0), s, s
    v = float(s)
    if not (math.isfinite(v) and v >= 0):
        raise StrategyError(f"starts: a starting rate must be finite and non-negative, got {s!r}")
    return (len(NAMED_STARTS), v), f"{v:g}", v


def _iterate(game: _Game, t0: np.ndarray, label: str, tol: float,
             max_rounds: int) -> tuple[StartReport, np.ndarray]:
    """Gauss–Seidel best responses from ``t0``."""
    n = len(game.players)
    t = t0.copy()
    rates: list[np.ndarray | None] = [None] * n
    moved = [math.inf] * n
    history: list[float] = []
    full = True  # the first round searches [0, upper] for everyone
    converged = False
    for _ in range(max_rounds):
        change = 0.0
        for p in range(n):
            report_progress(f"trade war from {label}, round {len(history) + 1}: "
                            f"{game.players[p].name} {p + 1}/{n}")
            old = game.rates_of(t, p) if rates[p] is None else rates[p]
            width = max(BRACKET, 2.0 * moved[p]) if math.isfinite(moved[p]) else BRACKET
            new = game.respond(t, p, None if full else rates[p], width)
            cells_before = t[:, game.players[p].members].copy()
            for (_, idx), r in zip(game.blocks[p], new, strict=True):
                t[np.ix_(idx, game.players[p].members)] = r
            step = float(np.max(np.abs(t[:, game.players[p].members] - cells_before)))
            moved[p] = float(np.max(np.abs(new - old)))
            change = max(change, step)
            rates[p] = new
        history.append(change)
        report_progress(f"trade war from {label}: round {len(history)} done, largest change "
                        f"{100 * change:.2f} points")
        full = False
        if change < tol:
            if game.per_partner:
                converged = True
                break
            # check every player against a full search: a global jump means more rounds
            report_progress(f"trade war from {label}: checking every player against a full "
                            "search")
            check = [game.respond(t, p, None, 0.0) for p in range(n)]
            gap = max(float(np.max(np.abs(c - r))) for c, r in zip(check, rates, strict=True)
                      if r is not None)
            if gap <= max(10 * tol, 1e-6):
                converged = True
                break
            full = True
    names = [pl.name for pl in game.players]
    report = StartReport(
        start=label, rounds=len(history), max_change=history[-1] if history else math.nan,
        converged=converged,
        rates={nm: float(np.mean(r)) for nm, r in zip(names, rates, strict=True)
               if r is not None},
        welfare=game.welfare(t), history=tuple(history))
    return report, t


def trade_war(world_or_evaluator: World | Evaluator, players: Sequence[str], *,
              t: np.ndarray | None = None,
              instrument: Literal["uniform", "per_partner"] = "uniform",
              targets: Literal["all", "players"] = "all",
              starts: Sequence[str | float] = NAMED_STARTS, tol: float = 1e-4,
              max_rounds: int = 50, params: ModelParams | None = None, upper: float = 1.0,
              dhat: np.ndarray | None = None) -> TradeWar:
    """Nash equilibrium in tariffs among ``players`` by iterated best responses.

    Args:
        world_or_evaluator: A World (with ``params``, default ``ignatenko2025``) or an Evaluator.
        players: Economies or groups (a group acts as one player); at least two, disjoint.
        t: Tariffs in force (default: the baseline): the ``baseline`` start, and the rates of
            every pair that is not an instrument.
        instrument: ``uniform`` (one rate per player) or ``per_partner``.
        targets: ``all`` (each player taxes every non-member) or ``players`` (only the others).
        starts: Starting points: ``baseline``, ``free_trade``, ``high`` or rates.
        tol: Convergence: the largest change of a rate over a round.
        max_rounds: Rounds per start.
        params: Parameters when a World is given.
        upper: Upper bound of every rate (at most
            :data:`~worldorder.trade.instruments.MAX_RATE`).
        dhat: Iceberg trade-cost changes in force, or None.

    Returns:
        A :class:`TradeWar`.

    Raises:
        StrategyError: Unknown or overlapping players, bad options.
        ConvergenceError: No start converged (the message gives each start's rounds and last
            max change).
    """
    if isinstance(players, str) or len(players) < 2:
        raise StrategyError("players: a trade war needs a list of at least two players")
    if targets not in ("all", "players"):
        raise StrategyError(f"targets: expected 'all' or 'players', got {targets!r}")
    if instrument not in ("uniform", "per_partner"):
        raise StrategyError(f"instrument: expected 'uniform' or 'per_partner', got "
                            f"{instrument!r}")
    upper = check_bound(upper)
    if not (tol > 0 and max_rounds >= 1):
        raise StrategyError("tol must be positive and max_rounds at least 1")
    if not starts:
        raise StrategyError("starts: give at least one starting point")
    ev = as_evaluator(world_or_evaluator, params)
    clock, solves0 = time.perf_counter(), ev.solves
    pls = [resolve_player(ev, p, f"players[{k}]") for k, p in enumerate(players)]
    seen: set[int] = set()
    for k, pl in enumerate(pls):
        if seen & set(pl.members.tolist()):
            raise StrategyError(f"players[{k}]: {pl.name!r} overlaps another player")
        seen.update(pl.members.tolist())
    per = instrument == "per_partner"
    blocks = [partner_blocks(ev, pl, None if targets == "all" else
                             [q for q in players if q != players[k]], per_partner=per)
              for k, pl in enumerate(pls)]
    game = _Game(ev, pls, blocks, upper, dhat, per)
    t_given = ev.t0.copy() if t is None else np.array(t, dtype=float)
    names = [pl.name for pl in pls]

    canonical = sorted({_start_label(s)[:2]: _start_label(s)[2] for s in starts}.items())
    reports: list[StartReport] = []
    ends: list[np.ndarray] = []
    for (_, label), value in canonical:
        if value == "baseline":
            t_start = t_given
        elif value == "free_trade":
            t_start = game.set(t_given, 0.0)
        elif value == "high":
            t_start = game.set(t_given, upper)
        else:
            t_start = game.set(t_given, min(float(value), upper))
        rep, t_end = _iterate(game, t_start, label, tol, max_rounds)
        reports.append(rep)
        ends.append(t_end)
    done = [k for k, r in enumerate(reports) if r.converged]
    if not done:
        detail = "; ".join(f"{r.start}: max change {r.max_change:.2e} after {r.rounds} rounds"
                           for r in reports)
        raise ConvergenceError(f"trade war among {', '.join(names)}: no start converged "
                               f"({detail})", iterations=max(r.rounds for r in reports),
                               residual=min(r.max_change for r in reports),
                               diagnostics={"starts": [r.start for r in reports]})
    clusters: list[int] = []
    for k in done:
        vec = np.concatenate([game.rates_of(ends[k], p) for p in range(len(pls))])
        if all(np.max(np.abs(vec - np.concatenate([game.rates_of(ends[c], p) for p in
                                                    range(len(pls))]))) > DISTINCT
               for c in clusters):
            clusters.append(k)
    best = clusters[0]
    t_nash = ends[best]
    schedules = {pl.name: {nm: float(r) for (nm, _), r in
                           zip(blocks[p], game.rates_of(t_nash, p), strict=True)}
                 for p, pl in enumerate(pls)}
    edges = {pl.name: game.at_edge(t_nash, p) for p, pl in enumerate(pls)}
    t_coop = t_given.copy()
    for pl in pls:
        for q in pls:
            if q is not pl:
                t_coop[np.ix_(q.members, pl.members)] = 0.0
    return TradeWar(
        players=tuple(names), targets=targets, instrument=instrument,
        rates={nm: float(np.mean(list(schedules[nm].values()))) for nm in names},
        schedules=schedules, welfare=game.welfare(t_nash), welfare_start=game.welfare(t_given),
        cooperative=game.welfare(t_coop), t=t_nash, t_cooperative=t_coop,
        starts=tuple(reports), equilibria=tuple(reports[k].rates for k in clusters),
        solves=ev.solves - solves0, seconds=time.perf_counter() - clock,
        at_bound={nm: max(schedules[nm].values()) > upper - 1e-4 or edges[nm] for nm in names},
        at_edge=edges)
