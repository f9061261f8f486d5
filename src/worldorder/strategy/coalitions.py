"""Coalitions of middle powers facing a hegemon's tariffs: values, tables and stability.

"If we're not at the table, we're on the menu": when a hegemon H uses tariffs as leverage, its
targets can retaliate alone, do nothing, or join with others. This module prices every
coalition S of a list of *candidates* (economies, or groups such as the EU acting as one player)
under the current tariffs ``t`` (e.g. after the 2025 US tariffs):

* **Inside S**, members trade freely: every tariff between economies of different members (and
  between economies of one group member) is set to zero, baseline MFN duties and additional
  duties alike (``internal="free_trade"``; ``"keep"`` leaves them).
* **Towards H**, S responds as one (``response``):

  - ``"optimal"``: one common uniform rate τ on all of H's goods, set by every member's economies
    (a total rate, ``t[h, m] = τ``), chosen to maximise the coalition's money-metric welfare
    (its TU worth, below) given everyone else's tariffs; a bounded grid scan then a bounded Brent
    search, as :func:`worldorder.trade.instruments.optimal_tariff`;
  - ``"mirror"``: each member economy sets on H the additional rate H charges it
    (``t[h, m] = t0[h, m] + (t[m, h] − t0[m, h])`` where that surcharge is positive);
  - ``"none"``: members keep their tariffs on H.

* **Outside S**, every other economy (non-member candidates included) keeps its tariffs.

The TU worth of S is its money-metric gain, the equivalent variation at baseline prices summed
over its economies,

.. math::

    v(S) = \\sum_{i ∈ S} (Ŵ_i − 1)\\,E_i, \\qquad v(∅) = 0,

with Ŵ_i the exact-hat welfare change relative to the dataset's baseline (as everywhere in
worldorder) and E_i baseline expenditure (national income: factor income, tariff revenue and
transfers) in the dataset's value unit (USD billion for ``world-2024``). The optimal common rate
maximises the same income (expenditure) weighted sum Σ_{i∈S} E_i (Ŵ_i − 1), so the coalition
picks the rate that maximises its worth. A singleton {i} is i acting alone by the same rule
(internal free trade is then void, except inside a group player). Because Ŵ is relative to the
baseline, v includes the losses that the hegemon's tariffs cause anyway;
``CoalitionTable.game("status_quo")`` gives the strategically equivalent game relative to the
current tariffs (worths shifted by an additive constant per player: the same core up to a
translation, the same stability, Shapley values shifted by the constant).

:func:`coalition_outcomes` solves all 2^n − 1 coalitions of up to ``max_exact`` (12) candidates,
with a documented heuristic above. Coalitions are visited in Gray-code order (neighbours differ by
one member, so their equilibria are close and warm starts pay) in fixed chunks; each chunk starts
cold, so the table depends only on the inputs and the chunk size, never on the number of worker
processes or the order in which chunks run (tested bit for bit).

Stability (:func:`stability`) follows d'Aspremont et al. (1983) for one coalition S among the
candidates, the others singletons: S is *internally stable* when no member gains by leaving
(its welfare in S is at least its welfare when S∖{i} forms and i acts alone by the same rule),
and *externally stable* when no outsider j would gain by joining S ∪ {j} while every member of
S weakly gains too (no outsider is refused a gain). The leaver (or the outsider) acting alone
applies its singleton policy (the rate it would choose alone, fixed, not re-optimised against
the new coalition); the remaining coalition keeps its own policy from the table. These
*deviation* structures cost one solve each (n · 2^(n−1) − n of them; none with
``response="none"``, where a leaver acting alone does nothing and the structure is the table's
S∖{i}, except for a group leaver that drops its internal tariffs).

References:
    d'Aspremont, C., Jacquemin, A., Gabszewicz, J. J. & Weymark, J. A. (1983), "On the
    stability of collusive price leadership", Canadian Journal of Economics 16(1), 17–25.
    Ossa, R. (2014), "Trade wars and trade talks with data", American Economic Review 104(12).
    Chander, P. & Tulkens, H. (1997), "The core of an economy with multilateral environmental
    externalities", International Journal of Game Theory 26. Ignatenko, A., Macedoni, L.,
    Lashkaripour, A. & Simonovska, I. (2025), Journal of International Economics.
"""

from __future__ import annotations

import itertools
import math
import os
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar

from worldorder.errors import CoalitionError, ConvergenceError

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.trade.evaluator import Evaluator

__all__ = [
    "MAX_CANDIDATES",
    "CoalitionError",
    "CoalitionOutcome",
    "CoalitionTable",
    "Players",
    "RateSearch",
    "coalition_outcomes",
    "coalition_tariffs",
    "coalition_value",
    "optimal_common_rate",
    "resolve_players",
    "stability",
    "stable_coalitions",
]

Response = Literal["optimal", "mirror", "none"]
Internal = Literal["free_trade", "keep"]
RESPONSES = ("optimal", "mirror", "none")
INTERNALS = ("free_trade", "keep")

#: Most candidates a table can hold (coalitions are 63-bit masks).
MAX_CANDIDATES = 62




# --------------------------------------------------------------------------- players


@dataclass(frozen=True)
class Players:
    """Candidates resolved to matrix positions.

    Attributes:
        names: Player names (economy codes or group names), in the given order.
        members: Economy positions of each player (a group stands for all its members).
        hegemon: Economy positions of the hegemon.
    """

    names: tuple[str, ...]
    members: tuple[tuple[int, ...], ...]
    hegemon: tuple[int, ...]

    def economies(self, mask: int) -> list[int]:
        """Economy positions of the players in the bitmask ``mask`` (bit k = ``names[k]``)."""
        return sorted(i for k, m in enumerate(self.members) if mask >> k & 1 for i in m)


def resolve_players(world: World, candidates: Sequence[str] | str, hegemon: str = "USA",
                    ) -> Players:
    """Check the candidates and the hegemon and give their matrix positions.

    Raises:
        CoalitionError: No candidates, too many, an unknown name, a duplicate, two candidates
            sharing an economy, or the hegemon (or one of its economies) among the candidates.
    """
    names = [candidates] if isinstance(candidates, str) else list(candidates)
    if not names:
        raise CoalitionError("a coalition needs at least one candidate")
    if len(names) > MAX_CANDIDATES:
        raise CoalitionError(f"{len(names)} candidates: at most {MAX_CANDIDATES}")
    for name in [hegemon, *names]:
        if not isinstance(name, str) or name == "all" or not world.is_known(name):
            raise CoalitionError(f"unknown economy or group {name!r} in dataset {world.name!r}")
    if len(set(names)) != len(names):
        dup = next(c for c in names if names.count(c) > 1)
        raise CoalitionError(f"candidate {dup!r} is listed twice")
    heg = tuple(world.index(c) for c in world.expand(hegemon))
    owner: dict[int, str] = {}
    members = []
    for name in names:
        pos = tuple(world.index(c) for c in world.expand(name))
        for i in pos:
            if i in heg:
                raise CoalitionError(f"the hegemon {hegemon} cannot be a candidate "
                                     f"({name} includes {world.codes[i]})")
            if i in owner:
                raise CoalitionError(f"candidates {owner[i]} and {name} share the economy "
                                     f"{world.codes[i]}")
            owner[i] = name
        members.append(pos)
    return Players(names=tuple(names), members=tuple(members), hegemon=heg)


def _check_rule(response: str, internal: str) -> None:
    if response not in RESPONSES:
        raise CoalitionError(f"unknown response {response!r} (optimal, mirror or none)")
    if internal not in INTERNALS:
        raise CoalitionError(f"unknown internal rule {internal!r} (free_trade or keep)")


# --------------------------------------------------------------------------- one coalition


def coalition_tariffs(t: np.ndarray, t0: np.ndarray, members: Sequence[int],
                      hegemon: Sequence[int], *, response: Response = "optimal",
                      rate: float | None = None, internal: Internal = "free_trade",
                      ) -> np.ndarray:
    """The tariff matrix when the economies ``members`` form a coalition against ``hegemon``.

    ``t[j, i]`` is the rate importer i charges on j. With ``internal="free_trade"``,
    ``t[a, b] = 0`` for all members a ≠ b (baseline and additional duties removed). Towards the
    hegemon: ``"optimal"`` sets ``t[h, m] = rate`` (a total rate) for every member m and hegemon
    economy h; ``"mirror"`` sets ``t[h, m] = t0[h, m] + s`` with s = t[m, h] − t0[m, h] the
    surcharge h charges m, where s > 0; ``"none"`` leaves them. Nothing else changes.

    Args:
        t: Current tariffs.
        t0: Baseline tariffs (for the mirror rule).
        members: Economy positions of the coalition's economies.
        hegemon: Economy positions of the hegemon.
        response: ``"optimal"`` (needs ``rate``), ``"mirror"`` or ``"none"``.
        rate: The common rate on the hegemon (``"optimal"`` only).
        internal: ``"free_trade"`` or ``"keep"``.

    Raises:
        CoalitionError: An unknown rule or a missing or invalid rate.
    """
    _check_rule(response, internal)
    out = np.array(t, dtype=float, copy=True)
    m = np.asarray(sorted(members), dtype=int)
    h = np.asarray(hegemon, dtype=int)
    if internal == "free_trade" and m.size > 1:
        out[np.ix_(m, m)] = 0.0
    if response == "optimal":
        if rate is None or not math.isfinite(rate) or rate < 0.0:
            raise CoalitionError(f"the optimal response needs a finite rate >= 0 (got {rate})")
        out[np.ix_(h, m)] = rate
    elif response == "mirror":
        surcharge = (t[np.ix_(m, h)] - t0[np.ix_(m, h)]).T      # (h, m): h's surcharge on m
        out[np.ix_(h, m)] = np.where(surcharge > 0, t0[np.ix_(h, m)] + surcharge,
                                     out[np.ix_(h, m)])
    return out


@dataclass(frozen=True, eq=False)
class RateSearch:
    """The result of :func:`optimal_common_rate`.

    Attributes:
        rate: The common rate on the hegemon.
        welfare: Ŵ of every economy at that rate.
        value: Σ_{i∈S} (Ŵ_i − 1) E_i at that rate.
        at_bound: Whether the rate sits on the upper bound of the search.
        solves: Equilibria solved.
    """

    rate: float
    welfare: np.ndarray
    value: float
    at_bound: bool
    solves: int


def optimal_common_rate(evaluator: Evaluator, t: np.ndarray, members: Sequence[int],
                        hegemon: Sequence[int], *, dhat: np.ndarray | None = None,
                        internal: Internal = "free_trade", grid: int = 11, upper: float = 1.0,
                        xatol: float = 1e-5) -> RateSearch:
    """The common uniform rate on the hegemon that maximises a coalition's worth.

    Maximises f(τ) = Σ_{i∈S} E_i (Ŵ_i(τ) − 1) over τ ∈ [0, upper], every member economy charging
    τ on all of the hegemon's goods (and members trading freely with ``internal="free_trade"``):
    a ``grid``-point scan of [0, upper] (welfare need not be concave in τ: scale economies,
    labour supply, the fixed-deficit artifact at prohibitive rates), then a bounded Brent search
    between the neighbours of the best grid point (``xatol`` on τ). Warm-started through the
    evaluator. Rates at which no equilibrium exists count as −∞.

    Raises:
        ConvergenceError: No equilibrium at any grid rate.
    """
    if grid < 2 or not upper > 0:
        raise CoalitionError(f"the rate search needs grid >= 2 and upper > 0 "
                             f"(got {grid}, {upper})")
    weights = evaluator.baseline.E
    m = np.asarray(sorted(members), dtype=int)
    start = evaluator.solves
    cache: dict[float, tuple[float, np.ndarray | None]] = {}

    def value(rate: float) -> float:
        rate = float(rate)
        if rate not in cache:
            t1 = coalition_tariffs(t, evaluator.t0, m, hegemon, response="optimal", rate=rate,
                                   internal=internal)
            try:
                W = evaluator.welfare(t1, dhat)
            except ConvergenceError:
                cache[rate] = (-math.inf, None)
            else:
                cache[rate] = (float(weights[m] @ (W[m] - 1.0)), W)
        return cache[rate][0]

    points = np.linspace(0.0, upper, grid)
    vals = np.array([value(r) for r in points])
    if not np.isfinite(vals).any():
        raise ConvergenceError(f"no equilibrium for any common rate in [0, {upper:g}]")
    k = int(np.argmax(vals))
    lo, hi = points[max(k - 1, 0)], points[min(k + 1, grid - 1)]
    minimize_scalar(lambda r: -value(r), bounds=(lo, hi), method="bounded",
                    options={"xatol": xatol})
    best = max(cache, key=lambda r: (cache[r][0], -r))  # every point tried; ties: the lower
    val, W = cache[best]
    if W is None:  # pragma: no cover - a finite grid value exists
        raise ConvergenceError("no equilibrium at the best common rate")
    return RateSearch(rate=best, welfare=W, value=val, at_bound=best > upper - 10 * xatol,
                      solves=evaluator.solves - start)


@dataclass(frozen=True, eq=False)
class CoalitionOutcome:
    """One coalition's outcome (:func:`coalition_value`).

    Attributes:
        players: The members (economy codes or group names).
        economies: Their economies.
        hegemon: The hegemon.
        response, internal: The rules applied.
        rate: The common rate on the hegemon (NaN unless ``response="optimal"``).
        at_bound: Whether the optimal rate sits on the search's upper bound.
        tariffs: The tariff matrix used.
        welfare: Ŵ of every economy (vs. the dataset's baseline).
        welfare_pct: Welfare change of each member, percent (an income-weighted average
            over a group's economies).
        value: The coalition's worth v(S) = Σ (Ŵ_i − 1) E_i in the dataset's unit.
        solves: Equilibria solved.
    """

    players: tuple[str, ...]
    economies: tuple[str, ...]
    hegemon: str
    response: str
    internal: str
    rate: float
    at_bound: bool
    tariffs: np.ndarray
    welfare: np.ndarray
    welfare_pct: dict[str, float]
    value: float
    solves: int

    def frame(self) -> pd.DataFrame:
        """One row per member: ``member, hegemon, response, rate, welfare_pct, value``."""
        return pd.DataFrame({"member": list(self.players), "hegemon": self.hegemon,
                             "response": self.response, "rate": self.rate,
                             "welfare_pct": [self.welfare_pct[p] for p in self.players],
                             "coalition_value": self.value})


def coalition_value(evaluator: Evaluator, members: Sequence[str] | str, hegemon: str = "USA",
                    t: np.ndarray | None = None, *, response: Response = "optimal",
                    internal: Internal = "free_trade", dhat: np.ndarray | None = None,
                    grid: int = 11, upper: float = 1.0, xatol: float = 1e-5,
                    ) -> CoalitionOutcome:
    """The outcome of one coalition of ``members`` against ``hegemon`` under tariffs ``t``.

    Args:
        evaluator: The :class:`~worldorder.trade.evaluator.Evaluator` of the World.
        members: Economy codes or groups (a group acts as one member).
        hegemon: The economy (or group) the coalition faces.
        t: Current tariffs (default: the baseline).
        response, internal: See the module docstring.
        dhat: Iceberg trade-cost changes, if any.
        grid, upper, xatol: The optimal-rate search (:func:`optimal_common_rate`).

    Raises:
        CoalitionError: Unknown names, the hegemon among the members, unknown rules.
        ConvergenceError: No equilibrium.
    """
    _check_rule(response, internal)
    world = evaluator.world
    pl = resolve_players(world, members, hegemon)
    t = evaluator.t0 if t is None else np.asarray(t, dtype=float)
    econ = pl.economies((1 << len(pl.names)) - 1)
    start = evaluator.solves
    if response == "optimal":
        rs = optimal_common_rate(evaluator, t, econ, pl.hegemon, dhat=dhat, internal=internal,
                                 grid=grid, upper=upper, xatol=xatol)
        rate, at_bound, W = rs.rate, rs.at_bound, rs.welfare
    else:
        rate, at_bound = math.nan, False
    t1 = coalition_tariffs(t, evaluator.t0, econ, pl.hegemon, response=response,
                           rate=None if math.isnan(rate) else rate, internal=internal)
    if response != "optimal":
        W = evaluator.welfare(t1, dhat)
    E = evaluator.baseline.E
    pct = {p: float(100.0 * (E[list(m)] @ (W[list(m)] - 1.0)) / E[list(m)].sum())
           for p, m in zip(pl.names, pl.members, strict=True)}
    return CoalitionOutcome(players=pl.names, economies=tuple(world.codes[i] for i in econ),
                            hegemon=hegemon, response=response, internal=internal, rate=rate,
                            at_bound=at_bound, tariffs=t1, welfare=W, welfare_pct=pct,
                            value=float(E[econ] @ (W[econ] - 1.0)),
                            solves=evaluator.solves - start)


# --------------------------------------------------------------------------- many coalitions


@dataclass(frozen=True, eq=False)
class _Spec:
    """Everything a worker needs besides the evaluator."""

    players: Players
    t: np.ndarray
    t0: np.ndarray
    dhat: np.ndarray | None
    response: Response
    internal: Internal
    grid: int
    upper: float
    xatol: float


def _run_chunk(ev: Evaluator, spec: _Spec, kind: str, items: list[Any],
               ) -> tuple[np.ndarray, np.ndarray, int]:
    """Solve one chunk: coalitions (``items`` = masks) or deviation structures (``items`` =
    ``(mask, leaver, rate of mask without leaver, rate of leaver alone)``).

    The chunk starts from the baseline (no warm start from an earlier chunk), so its results
    depend only on its items.
    """
    ev._z = None  # cold start: chunks are independent of each other and of the workers
    start = ev.solves
    pl = spec.players
    rates = np.full(len(items), np.nan)
    W = np.empty((len(items), ev.world.n))
    for k, item in enumerate(items):
        if kind == "coalition":
            econ = pl.economies(item)
            if spec.response == "optimal":
                rs = optimal_common_rate(ev, spec.t, econ, pl.hegemon, dhat=spec.dhat,
                                         internal=spec.internal, grid=spec.grid,
                                         upper=spec.upper, xatol=spec.xatol)
                rates[k], W[k] = rs.rate, rs.welfare
            else:
                t1 = coalition_tariffs(spec.t, spec.t0, econ, pl.hegemon,
                                       response=spec.response, internal=spec.internal)
                W[k] = ev.welfare(t1, spec.dhat)
        else:
            mask, p, rate_rest, rate_p = item
            t1 = coalition_tariffs(spec.t, spec.t0, pl.economies(mask & ~(1 << p)), pl.hegemon,
                                   response=spec.response, internal=spec.internal,
                                   rate=None if math.isnan(rate_rest) else rate_rest)
            t1 = coalition_tariffs(t1, spec.t0, pl.members[p], pl.hegemon,
                                   response=spec.response, internal=spec.internal,
                                   rate=None if math.isnan(rate_p) else rate_p)
            W[k] = ev.welfare(t1, spec.dhat)
    return rates, W, ev.solves - start


_WORKER: dict[str, Any] = {}


def _init_worker(ev: Evaluator, spec: _Spec) -> None:
    _WORKER["ev"], _WORKER["spec"] = ev, spec


def _worker_chunk(kind: str, items: list[Any]) -> tuple[np.ndarray, np.ndarray, int]:
    return _run_chunk(_WORKER["ev"], _WORKER["spec"], kind, items)


class _Runner:
    """Runs chunks in this process (one worker) or in a process pool (stdlib only)."""

    def __init__(self, ev: Evaluator, spec: _Spec, workers: int, chunk: int) -> None:
        self.ev, self.spec, self.chunk = ev, spec, chunk
        self.solves = 0
        self.pool = (ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                         initargs=(ev, spec)) if workers > 1 else None)

    def run(self, kind: str, items: list[Any]) -> tuple[np.ndarray, np.ndarray]:
        chunks = [items[k:k + self.chunk] for k in range(0, len(items), self.chunk)]
        if self.pool is not None and len(chunks) > 1:
            parts = list(self.pool.map(_worker_chunk, [kind] * len(chunks), chunks))
        else:
            parts = [_run_chunk(self.ev, self.spec, kind, c) for c in chunks]
        self.solves += sum(p[2] for p in parts)
        if not parts:
            return np.zeros(0), np.zeros((0, self.ev.world.n))
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def _gray_masks(n: int) -> list[int]:
    """All non-empty subsets of n players in Gray-code order (neighbours differ by one)."""
    return [k ^ (k >> 1) for k in range(1, 1 << n)]


def _names(players: Sequence[str], mask: int) -> tuple[str, ...]:
    return tuple(p for k, p in enumerate(players) if mask >> k & 1)


@dataclass(frozen=True, eq=False)
class CoalitionTable:
    """Outcomes of coalitions of candidates facing a hegemon (:func:`coalition_outcomes`).

    Coalitions are bitmasks over ``players`` (bit k = ``players[k]``); rows are sorted by size,
    then mask. Welfare figures are relative to the dataset's baseline.

    Attributes:
        players: The candidates (economy codes or group names).
        members: Economy codes of each player.
        hegemon: The hegemon.
        response, internal: The rules applied.
        codes: The World's economy codes (columns of ``welfare``).
        masks: ``(K,)`` coalitions in the table.
        rates: ``(K,)`` common rate on the hegemon (NaN unless ``response="optimal"``).
        welfare: ``(K, N)`` Ŵ of every economy when the coalition forms.
        status_quo: ``(N,)`` Ŵ under the current tariffs (no coalition).
        weights: ``(N,)`` baseline expenditure E_i (the money-metric weights).
        t, t0: Current and baseline tariffs.
        exhaustive: Whether every coalition is in the table.
        method: How the coalitions were chosen (``exhaustive`` or the heuristic's description).
        dev_keys: ``(D, 2)`` deviation structures ``(mask, leaver)``: mask without the leaver
            forms, the leaver acts alone.
        dev_welfare: ``(D, N)`` Ŵ in each deviation structure.
        greedy: Heuristic only: the order in which greedy growth added players.
        solves, seconds, workers: Cost.
        member_index, hegemon_index: Matrix positions of each player's and the hegemon's
            economies.
    """

    players: tuple[str, ...]
    members: tuple[tuple[str, ...], ...]
    hegemon: str
    response: str
    internal: str
    codes: tuple[str, ...]
    masks: np.ndarray
    rates: np.ndarray
    welfare: np.ndarray
    status_quo: np.ndarray
    weights: np.ndarray
    t: np.ndarray
    t0: np.ndarray
    exhaustive: bool
    method: str
    dev_keys: np.ndarray
    dev_welfare: np.ndarray
    greedy: tuple[str, ...] = ()
    solves: int = 0
    seconds: float = 0.0
    workers: int = 1
    member_index: tuple[tuple[int, ...], ...] = field(default=(), repr=False)
    hegemon_index: tuple[int, ...] = field(default=(), repr=False)

    # ---- lookup
    @cached_property
    def _row(self) -> dict[int, int]:
        return {int(m): k for k, m in enumerate(self.masks)}

    @cached_property
    def _dev_row(self) -> dict[tuple[int, int], int]:
        return {(int(m), int(p)): k for k, (m, p) in enumerate(self.dev_keys)}

    def mask(self, coalition: Iterable[str] | str | int) -> int:
        """The bitmask of a coalition given by player names (or a mask)."""
        if isinstance(coalition, int | np.integer):
            return int(coalition)
        names = [coalition] if isinstance(coalition, str) else list(coalition)
        out = 0
        for name in names:
            if name not in self.players:
                raise CoalitionError(f"{name!r} is not a candidate "
                                     f"(candidates: {', '.join(self.players)})")
            out |= 1 << self.players.index(name)
        return out

    def names(self, coalition: Iterable[str] | str | int) -> tuple[str, ...]:
        """The players of a coalition, in candidate order."""
        return _names(self.players, self.mask(coalition))

    def __contains__(self, coalition: Iterable[str] | str | int) -> bool:
        return self.mask(coalition) in self._row

    def row(self, coalition: Iterable[str] | str | int) -> int:
        """The row of a coalition.

        Raises:
            CoalitionError: The coalition is not in the table (heuristic tables).
        """
        m = self.mask(coalition)
        if m not in self._row:
            raise CoalitionError(f"coalition {{{', '.join(_names(self.players, m))}}} is not in "
                                 f"the table ({self.method.split(':')[0]})")
        return self._row[m]

    # ---- money-metric figures
    @cached_property
    def player_weights(self) -> np.ndarray:
        """``(P,)`` Σ E_i over each player's economies."""
        return np.array([self.weights[list(m)].sum() for m in self.member_index])

    def _gains(self, W: np.ndarray) -> np.ndarray:
        G = (W - 1.0) * self.weights
        return np.stack([G[..., list(m)].sum(axis=-1) for m in self.member_index], axis=-1)

    @cached_property
    def gains(self) -> np.ndarray:
        """``(K, P)`` money-metric gain (Ŵ − 1)·E of every player in every coalition's world."""
        return self._gains(self.welfare)

    @cached_property
    def values(self) -> np.ndarray:
        """``(K,)`` worth v(S) of each coalition."""
        member = (self.masks[:, None] >> np.arange(len(self.players))[None, :]) & 1
        return (self.gains * member).sum(axis=1)

    def value(self, coalition: Iterable[str] | str | int) -> float:
        """v(S) = Σ_{i∈S} (Ŵ_i − 1) E_i (dataset unit); v(∅) = 0."""
        m = self.mask(coalition)
        return 0.0 if m == 0 else float(self.values[self.row(m)])

    def welfare_pct(self, coalition: Iterable[str] | str | int, *, members_only: bool = True,
                    ) -> dict[str, float]:
        """Welfare change (percent, vs. the baseline) of each member (or every player)."""
        m = self.mask(coalition)
        g = self.gains[self.row(m)]
        return {p: float(100.0 * g[k] / self.player_weights[k])
                for k, p in enumerate(self.players) if not members_only or m >> k & 1}

    def singleton_values(self) -> np.ndarray:
        """``(P,)`` v({i}) of every player."""
        return np.array([self.value(1 << k) for k in range(len(self.players))])

    def surplus(self, coalition: Iterable[str] | str | int) -> float:
        """v(S) − Σ_{i∈S} v({i}): what forming S adds to its members acting alone."""
        m = self.mask(coalition)
        sv = self.singleton_values()
        return self.value(m) - float(sum(sv[k] for k in range(len(self.players)) if m >> k & 1))

    def game(self, relative_to: Literal["baseline", "status_quo"] = "baseline",
             ) -> dict[frozenset[str], float]:
        """The TU game ``frozenset(players) -> worth`` over the coalitions in the table (with
        v(∅) = 0). ``"status_quo"`` subtracts each member's gain under the current tariffs."""
        if relative_to not in ("baseline", "status_quo"):
            raise CoalitionError(f"unknown reference {relative_to!r} (baseline or status_quo)")
        sq = self._gains(self.status_quo) if relative_to == "status_quo" else \
            np.zeros(len(self.players))
        out: dict[frozenset[str], float] = {frozenset(): 0.0}
        for k, m in enumerate(self.masks):
            names = _names(self.players, int(m))
            shift = sum(sq[self.players.index(p)] for p in names)
            out[frozenset(names)] = float(self.values[k] - shift)
        return out

    def tariffs(self, coalition: Iterable[str] | str | int) -> np.ndarray:
        """The tariff matrix used for a coalition."""
        m = self.mask(coalition)
        r = float(self.rates[self.row(m)])
        econ = sorted(i for k, pos in enumerate(self.member_index) if m >> k & 1 for i in pos)
        return coalition_tariffs(self.t, self.t0, econ, self.hegemon_index,
                                 response=self.response,  # type: ignore[arg-type]
                                 rate=None if math.isnan(r) else r,
                                 internal=self.internal)  # type: ignore[arg-type]

    def deviation_gains(self, coalition: Iterable[str] | str | int, leaver: str,
                        ) -> np.ndarray | None:
        """``(P,)`` gains when the coalition without ``leaver`` forms and ``leaver`` acts alone
        (None when not computed)."""
        m = self.mask(coalition)
        p = self.players.index(leaver)
        k = self._dev_row.get((m, p))
        return None if k is None else self._gains(self.dev_welfare[k])

    def best(self, by: Literal["value", "surplus", "per_member"] = "surplus",
             min_size: int = 2) -> tuple[str, ...]:
        """The coalition (of at least ``min_size`` players) with the largest worth, surplus over
        acting alone, or gain per member (percent of the members' income)."""
        sizes = np.array([int(m).bit_count() for m in self.masks])
        ok = np.flatnonzero(sizes >= min_size)
        if ok.size == 0:
            raise CoalitionError(f"no coalition of {min_size} or more players in the table")
        if by == "value":
            score = self.values[ok]
        elif by == "surplus":
            score = np.array([self.surplus(int(self.masks[k])) for k in ok])
        elif by == "per_member":
            member = (self.masks[ok, None] >> np.arange(len(self.players))[None, :]) & 1
            score = self.values[ok] / (member * self.player_weights).sum(axis=1)
        else:
            raise CoalitionError(f"unknown criterion {by!r} (value, surplus or per_member)")
        return _names(self.players, int(self.masks[ok[int(np.argmax(score))]]))

    def frame(self) -> pd.DataFrame:
        """One row per coalition: ``coalition, size, rate, value, surplus,
        gain_vs_status_quo, welfare_pct, hegemon_welfare_pct`` and each member's welfare (%,
        NaN for non-members)."""
        sv = self.singleton_values() if all((1 << k) in self._row
                                             for k in range(len(self.players))) else None
        sq = self._gains(self.status_quo)
        h = list(self.hegemon_index)
        rows = []
        for k, m in enumerate(self.masks):
            m = int(m)
            inside = [j for j in range(len(self.players)) if m >> j & 1]
            w = float(self.player_weights[inside].sum())
            row: dict[str, Any] = {
                "coalition": "+".join(_names(self.players, m)), "size": len(inside),
                "rate": self.rates[k], "value": self.values[k],
                "surplus": (self.values[k] - sv[inside].sum()) if sv is not None else np.nan,
                "gain_vs_status_quo": self.values[k] - sq[inside].sum(),
                "welfare_pct": 100.0 * self.values[k] / w,
                "hegemon_welfare_pct": 100.0 * float(
                    self.weights[h] @ (self.welfare[k, h] - 1.0) / self.weights[h].sum()),
            }
            for j, p in enumerate(self.players):
                row[p] = 100.0 * self.gains[k, j] / self.player_weights[j] if m >> j & 1 \
                    else np.nan
            rows.append(row)
        return pd.DataFrame(rows)


def coalition_outcomes(evaluator: Evaluator, candidates: Sequence[str], hegemon: str = "USA",
                       t: np.ndarray | None = None, *, response: Response = "optimal",
                       internal: Internal = "free_trade", dhat: np.ndarray | None = None,
                       max_exact: int = 12, workers: int | None = None, chunk: int = 32,
                       grid: int = 11, upper: float = 1.0, xatol: float = 1e-5,
                       deviations: bool = True) -> CoalitionTable:
    """Every coalition of the candidates against the hegemon, with each player's welfare.

    Up to ``max_exact`` candidates: all 2^n − 1 coalitions. Above: a heuristic, flagged by
    ``exhaustive=False`` and described in ``method``: every coalition of at most 3 players, the
    grand coalition and the n coalitions without one player, and greedy growth from the pair
    with the largest surplus v(S) − Σ v({i}), adding at each step the player that adds most
    (v(S ∪ {j}) − v({j})) until the grand coalition.

    With ``deviations`` (default), also the deviation structures :func:`stability` needs (for
    every coalition S in the table and member i with S∖{i} in the table: S∖{i} forms with its
    policy, i acts alone with its singleton policy).

    Work is split into fixed chunks of ``chunk`` coalitions in Gray-code order, each started
    cold, and spread over ``workers`` processes (default: every CPU; 1 = this process): the
    table is bit-for-bit the same whatever the number of workers.

    Args:
        evaluator: The :class:`~worldorder.trade.evaluator.Evaluator` of the World.
        candidates: Economy codes or groups (a group is one player).
        hegemon: The economy (or group) they face.
        t: Current tariffs (default: the baseline).
        response, internal: See the module docstring.
        dhat: Iceberg trade-cost changes, if any.
        max_exact: Most candidates for the exhaustive table.
        workers: Worker processes.
        chunk: Coalitions (or deviation structures) per chunk.
        grid, upper, xatol: The optimal-rate search (:func:`optimal_common_rate`).
        deviations: Compute the deviation structures for :func:`stability`.

    Raises:
        CoalitionError: Unknown names, the hegemon among the candidates, bad settings.
        ConvergenceError: No equilibrium for some coalition.
    """
    t_start = time.perf_counter()
    _check_rule(response, internal)
    if max_exact > 20:
        raise CoalitionError(f"max_exact={max_exact}: at most 20 (2^20 coalitions)")
    if chunk < 1:
        raise CoalitionError(f"chunk must be at least 1 (got {chunk})")
    world = evaluator.world
    pl = resolve_players(world, candidates, hegemon)
    n = len(pl.names)
    t = evaluator.t0.copy() if t is None else np.array(t, dtype=float)
    if t.shape != evaluator.t0.shape:
        raise CoalitionError(f"tariffs of shape {t.shape}; the world needs {evaluator.t0.shape}")
    workers = max(1, os.cpu_count() or 1) if workers is None else int(workers)
    if workers < 1:
        raise CoalitionError(f"workers must be at least 1 (got {workers})")
    spec = _Spec(players=pl, t=t, t0=evaluator.t0, dhat=dhat, response=response,
                 internal=internal, grid=grid, upper=upper, xatol=xatol)
    evaluator._z = None
    status_quo = evaluator.welfare(t, dhat)
    E = evaluator.baseline.E
    runner = _Runner(evaluator, spec, workers, chunk)
    done: dict[int, tuple[float, np.ndarray]] = {}

    def ensure(masks: list[int]) -> None:
        todo = [m for m in dict.fromkeys(masks) if m not in done]
        rates, W = runner.run("coalition", todo)
        for k, m in enumerate(todo):
            done[m] = (float(rates[k]), W[k])

    def worth(m: int) -> float:
        econ = pl.economies(m)
        return float(E[econ] @ (done[m][1][econ] - 1.0))

    greedy: list[str] = []
    try:
        if n <= max_exact:
            ensure(_gray_masks(n))
            method = "exhaustive"
        else:
            full = (1 << n) - 1
            small = [sum(1 << k for k in c) for size in (1, 2, 3)
                     for c in itertools.combinations(range(n), size)]
            ensure(small + [full] + [full ^ (1 << k) for k in range(n)])
            single = {k: worth(1 << k) for k in range(n)}
            pairs = [m for m in small if m.bit_count() == 2]
            s = max(pairs, key=lambda m: (worth(m) - sum(single[k] for k in range(n)
                                                          if m >> k & 1), -m))
            greedy = list(_names(pl.names, s))
            while s.bit_count() < n - 1:
                outside = [k for k in range(n) if not s >> k & 1]
                ensure([s | 1 << k for k in outside])
                j = max(outside, key=lambda k: (worth(s | 1 << k) - single[k], -k))
                s |= 1 << j
                greedy.append(pl.names[j])
            greedy += [p for p in pl.names if p not in greedy]
            method = (f"heuristic ({n} candidates > max_exact={max_exact}): every coalition of "
                      f"at most 3 players, the grand coalition and those without one player, "
                      f"greedy growth from the best pair by surplus; {len(done)} of "
                      f"{(1 << n) - 1} coalitions")
        order = sorted(done, key=lambda m: (m.bit_count(), m))
        dev_items: list[tuple[int, int, float, float]] = []
        if deviations:
            visit = _gray_masks(n) if n <= max_exact else order
            for m in visit:
                if m.bit_count() < 2:
                    continue
                for p in range(n):
                    rest = m & ~(1 << p)
                    if m >> p & 1 and rest in done:
                        dev_items.append((m, p, done[rest][0], done[1 << p][0]))
        # With no response, a leaver acting alone does nothing (unless it is a group that drops
        # its internal tariffs): the structure is the table's S∖{i}, solved already.
        same = [response == "none" and (internal == "keep" or len(pl.members[p]) == 1)
                for _, p, _, _ in dev_items]
        _, solved = runner.run("deviation", [d for d, r in zip(dev_items, same, strict=True)
                                             if not r])
        rows = iter(solved)
        dev_W = np.array([done[m & ~(1 << p)][1] if r else next(rows)
                          for (m, p, _, _), r in zip(dev_items, same, strict=True)])
    finally:
        runner.close()
    return CoalitionTable(
        players=pl.names,
        members=tuple(tuple(world.codes[i] for i in m) for m in pl.members),
        hegemon=hegemon, response=response, internal=internal, codes=tuple(world.codes),
        masks=np.array(order, dtype=np.int64),
        rates=np.array([done[m][0] for m in order]),
        welfare=np.array([done[m][1] for m in order]).reshape(len(order), world.n),
        status_quo=status_quo, weights=E.copy(), t=t, t0=evaluator.t0.copy(),
        exhaustive=n <= max_exact, method=method,
        dev_keys=np.array([(m, p) for m, p, _, _ in dev_items], dtype=np.int64).reshape(-1, 2),
        dev_welfare=dev_W.reshape(len(dev_items), world.n), greedy=tuple(greedy),
        solves=1 + runner.solves, seconds=time.perf_counter() - t_start,
        workers=workers, member_index=pl.members, hegemon_index=pl.hegemon)


# --------------------------------------------------------------------------- stability


def stability(table: CoalitionTable, *, tol: float = 1e-9) -> pd.DataFrame:
    """Internal and external stability of every coalition in the table (d'Aspremont et al.
    1983), one coalition among the candidates, the others singletons.

    * internal: for every member i, gain_i(S) ≥ gain_i(S∖{i} forms, i alone); singletons are
      internally stable;
    * external: no outsider j with gain_j(S ∪ {j}) > gain_j(S forms, j alone) while
      gain_k(S ∪ {j}) ≥ gain_k(S forms, j alone) for every member k of S; the grand coalition
      is externally stable.

    Gains are money-metric (Ŵ − 1)·E per player; comparisons allow ``tol`` times the player's
    income as a tie. ``None`` where a needed coalition or deviation is not in a heuristic
    table.

    Returns:
        ``coalition, mask, size, internal, external, stable, leavers, joiners`` (who would leave,
        who would join and be welcome).
    """
    players = table.players
    n = len(players)
    slack = tol * table.player_weights
    rows = []
    for k, m in enumerate(table.masks):
        m = int(m)
        g_in = table.gains[k]
        inside = [p for p in range(n) if m >> p & 1]
        leavers: list[str] = []
        internal: bool | None = True
        for p in inside if len(inside) > 1 else []:
            d = table._dev_row.get((m, p))
            if d is None:
                internal = None
                continue
            g_dev = table._gains(table.dev_welfare[d])
            if g_dev[p] > g_in[p] + slack[p]:
                leavers.append(players[p])
        if leavers:
            internal = False
        joiners: list[str] = []
        external: bool | None = True
        for j in range(n):
            if m >> j & 1:
                continue
            big = m | 1 << j
            d = table._dev_row.get((big, j))
            if big not in table._row or d is None:
                external = None
                continue
            g_big = table.gains[table._row[big]]
            g_dev = table._gains(table.dev_welfare[d])
            if g_big[j] > g_dev[j] + slack[j] and all(g_big[i] >= g_dev[i] - slack[i]
                                                      for i in inside):
                joiners.append(players[j])
        if joiners:
            external = False
        stable = None if internal is None or external is None else internal and external
        if internal is False or external is False:
            stable = False
        rows.append({"coalition": "+".join(_names(players, m)), "mask": m,
                     "size": len(inside),
                     "internal": internal, "external": external, "stable": stable,
                     "leavers": ",".join(leavers), "joiners": ",".join(joiners)})
    return pd.DataFrame(rows)


def stable_coalitions(table: CoalitionTable, *, min_size: int = 1, tol: float = 1e-9,
                      ) -> list[tuple[str, ...]]:
    """The coalitions (of at least ``min_size`` players) that are internally and externally
    stable (:func:`stability`), in table order."""
    st = stability(table, tol=tol)
    keep = st[(st["stable"] == True) & (st["size"] >= min_size)]  # noqa: E712
    return [table.names(int(m)) for m in keep["mask"]]
