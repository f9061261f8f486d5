"""One coalition against a hegemon: its tariff matrix, its optimal common rate, its worth.

See :mod:`worldorder.strategy.coalitions` for the model: inside the coalition S free trade
(``internal="free_trade"``), towards the hegemon H one response (``optimal``: the common uniform
rate τ that maximises the worth v(S) = Σ_{i∈S} (Ŵ_i − 1) E_i, found by
:func:`worldorder.numerics.maximise_scalar`; ``mirror``; ``none``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from worldorder.errors import ConvergenceError, NumericsError
from worldorder.numerics import maximise_scalar
from worldorder.strategy.coalition_legitimacy import member_gains
from worldorder.strategy.coalition_players import (
    CoalitionError,
    Internal,
    Response,
    check_rule,
    resolve_players,
)
from worldorder.trade.instruments import check_upper

if TYPE_CHECKING:
    from worldorder.trade.evaluator import Evaluator

__all__ = ["CoalitionOutcome", "RateSearch", "check_search", "coalition_tariffs",
           "coalition_value", "optimal_common_rate"]


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
    check_rule(response, internal)
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
        value: Σ_{i∈S} (Ŵ_i − 1) E_i at that rate (minus Σ μ_i E_i (Ŵ_H − 1) with balancing).
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
                        xatol: float = 1e-5, balancing: np.ndarray | None = None) -> RateSearch:
    """The common uniform rate on the hegemon that maximises a coalition's worth.

    Maximises f(τ) = Σ_{i∈S} E_i (Ŵ_i(τ) − 1) over τ ∈ [0, upper], every member economy charging
    τ on all of the hegemon's goods (and members trading freely with ``internal="free_trade"``),
    by :func:`worldorder.numerics.maximise_scalar`: a ``grid``-point scan of [0, min(upper, 1)]
    continued geometrically up to ``upper`` (welfare need not be concave in τ: scale economies,
    labour supply, the fixed-deficit artifact at prohibitive rates), then a bounded Brent search
    between the neighbours of the best grid point (``xatol`` on τ). Warm-started through the
    evaluator. Rates at which no equilibrium exists count as −∞.

    With ``balancing`` (μ per economy, from
    :func:`~worldorder.strategy.coalition_legitimacy.balancing_weights`) the objective is
    the legitimacy-weighted worth Σ_{i∈S} [E_i (Ŵ_i − 1) − μ_i E_i (Ŵ_H − 1)]
    (:mod:`worldorder.strategy.coalition_legitimacy`); ``None`` = μ = 0.

    Raises:
        CoalitionError: ``grid`` below 2 or ``upper`` not in (0, MAX_RATE].
        ConvergenceError: No equilibrium at any grid rate.
    """
    upper = check_search(grid, upper)
    weights = evaluator.baseline.E
    m = np.asarray(sorted(members), dtype=int)
    start = evaluator.solves
    cache: dict[float, tuple[float, np.ndarray | None]] = {}

    def value(rate: float) -> float:
        rate = float(rate)
        if rate not in cache:
            t1 = coalition_tariffs(t, evaluator.t0, m, hegemon, response="optimal", rate=rate,
                                   internal=internal)
            W = evaluator.valid_welfare(t1, dhat)  # None: no valid equilibrium, never optimal
            if W is None:
                cache[rate] = (-math.inf, None)
            else:
                worth = (float(weights[m] @ (W[m] - 1.0)) if balancing is None else
                         float(member_gains(W, weights, balancing, hegemon)[m].sum()))
                cache[rate] = (worth, W)
        return cache[rate][0]

    best = maximise_scalar(value, 0.0, upper, points=grid, xatol=xatol, memo=True,
                           what="the common rate")
    val, W = cache[best.x]
    if W is None:  # pragma: no cover - a finite grid value exists
        raise ConvergenceError("no equilibrium at the best common rate")
    return RateSearch(rate=best.x, welfare=W, value=val,
                      at_bound=best.at_upper or best.at_edge, solves=evaluator.solves - start)


def check_search(grid: int, upper: float) -> float:
    """``upper``, if ``grid`` and ``upper`` pose a rate search (grid ≥ 2, 0 < upper ≤ MAX_RATE).

    Raises:
        CoalitionError: Otherwise.
    """
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 2:
        raise CoalitionError(f"the rate search needs grid >= 2 (got {grid!r})")
    try:
        return check_upper(upper)
    except NumericsError as err:
        raise CoalitionError(str(err)) from None


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
        value: The coalition's worth v(S) = Σ (Ŵ_i − 1) E_i in the dataset's unit (with
            balancing, v_R(S) = Σ [(Ŵ_i − 1) − μ_i (Ŵ_H − 1)] E_i).
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
                    balancing: np.ndarray | None = None) -> CoalitionOutcome:
    """The outcome of one coalition of ``members`` against ``hegemon`` under tariffs ``t``.

    Args:
        evaluator: The :class:`~worldorder.trade.evaluator.Evaluator` of the World.
        members: Economy codes or groups (a group acts as one member).
        hegemon: The economy (or group) the coalition faces.
        t: Current tariffs (default: the baseline).
        response, internal: See the module docstring.
        dhat: Iceberg trade-cost changes, if any.
        grid, upper, xatol: The optimal-rate search (:func:`optimal_common_rate`).
        balancing: μ per economy (from
            :func:`~worldorder.strategy.coalition_legitimacy.balancing_weights`): the worth
            and the optimal rate count μ_i E_i (1 − Ŵ_H) for each member economy
            (legitimacy; ``None`` = μ = 0, the plain worth). ``welfare_pct``
            stays the members' own welfare change.

    Raises:
        CoalitionError: Unknown names, the hegemon among the members, unknown rules.
        ConvergenceError: No equilibrium.
    """
    check_rule(response, internal)
    world = evaluator.world
    pl = resolve_players(world, members, hegemon)
    t = evaluator.t0 if t is None else np.asarray(t, dtype=float)
    econ = pl.economies((1 << len(pl.names)) - 1)
    start = evaluator.solves
    if response == "optimal":
        rs = optimal_common_rate(evaluator, t, econ, pl.hegemon, dhat=dhat, internal=internal,
                                 grid=grid, upper=upper, xatol=xatol, balancing=balancing)
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
                            value=(float(E[econ] @ (W[econ] - 1.0)) if balancing is None else
                                   float(member_gains(W, E, balancing, pl.hegemon)[econ].sum())),
                            solves=evaluator.solves - start)
