"""Best responses in tariffs: the rates that maximise a player's welfare given everyone else's.

A *player* is an economy or a group acting as one (every member sets the same rates; tariffs
inside the group are left as they are). Its payoff is the income-weighted welfare of its members,

.. math::

    Ŵ_G(t) = \\frac{\\sum_{i∈G} Y_i\\, Ŵ_i(t)}{\\sum_{i∈G} Y_i},

with Y_i baseline income and Ŵ_i the welfare change of the trade model (1 = the dataset's
baseline), so that maximising Ŵ_G maximises Σ_{i∈G} Y_i (Ŵ_i − 1); for one economy Ŵ_G = Ŵ_i.
Every trial rate is priced by solving the full general equilibrium
(:class:`~worldorder.trade.evaluator.Evaluator`, warm-started).

Instruments (``t[j, i]`` is the rate importer i charges on goods from j):

* ``uniform``: one rate r on all imports from non-members (or from the listed partners only):
  :math:`\\max_{r∈[0, \\bar t]} Ŵ_G`, by a grid scan and a bounded Brent search
  (:func:`worldorder.numerics.maximise_scalar`, as in
  :func:`~worldorder.trade.instruments.optimal_tariff`: welfare need not be concave in the
  tariff with scale economies, labour supply and fixed deficits);
* ``per_partner``: one rate per listed partner (an economy, or a group taxed at one rate),
  :math:`\\max_{r∈[0,\\bar t]^m} Ŵ_G` by L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995) started from the
  uniform optimum, with central finite-difference gradients
  (:func:`worldorder.numerics.fd_gradient`, step 1e-3, one-sided at a bound: the equilibrium is
  solved to a relative residual of 1e-10, so welfare carries noise of order 1e-11 and a smaller
  step would turn it into gradient noise; the truncation error of the central difference is of
  order 1e-7).

The bound t̄ (``upper``) is at most :data:`~worldorder.trade.instruments.MAX_RATE` (1,000%);
``at_bound`` says when a rate sits on it (the unconstrained optimum may then lie beyond).

Precision: for the same reason an optimal rate is determined to about 1e-5 (welfare is flat at
the optimum: a rate error δ costs about ½|Ŵ''|δ², below the noise for δ ≲ 1e-5).

References: Johnson (1953–54), "Optimum Tariffs and Retaliation", Review of Economic Studies
21(2); Ossa (2014), "Trade Wars and Trade Talks with Data", AER 104(12); Ignatenko, Macedoni,
Lashkaripour & Simonovska (2025), JIE.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from worldorder.errors import NumericsError, StrategyError
from worldorder.numerics import FD_STEP, ScalarMaximum, fd_gradient, maximise_scalar
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.instruments import check_upper
from worldorder.trade.params import resolve_params

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.trade.params import ModelParams

__all__ = ["FD_STEP", "BestResponse", "Player", "StrategyError", "as_evaluator", "best_response",
           "check_bound", "resolve_player"]

Instrument = Literal["uniform", "per_partner"]


def as_evaluator(world_or_evaluator: World | Evaluator,
                 params: ModelParams | None = None) -> Evaluator:
    """An Evaluator for a World (``params`` default: the ``ignatenko2025`` preset) or as given.

    Raises:
        StrategyError: ``params`` given together with an Evaluator (it has its own).
    """
    if isinstance(world_or_evaluator, Evaluator):
        if params is not None and params is not world_or_evaluator.params:
            raise StrategyError("give params with a World, not with an Evaluator (it has its own)")
        return world_or_evaluator
    if params is None:
        params = resolve_params(world_or_evaluator, "ignatenko2025")
    return Evaluator(world_or_evaluator, params)


@dataclass(frozen=True, eq=False)
class Player:
    """An economy or a group acting as one.

    Attributes:
        name: The label (economy code, group name, or members joined by ``+``).
        members: Matrix positions of the members.
        weights: Baseline income shares Y_i / Σ_G Y of the members (sum to 1).
    """

    name: str
    members: np.ndarray
    weights: np.ndarray

    def welfare(self, w: np.ndarray) -> float:
        """Ŵ_G: the income-weighted mean of the members' Ŵ_i."""
        return float(self.weights @ w[self.members])


def _expand(world: World, names: str | Iterable[str], field: str) -> list[int]:
    lst = [names] if isinstance(names, str) else list(names)
    if not lst:
        raise StrategyError(f"{field}: empty list of economies")
    for nm in lst:
        if nm == "all" or not world.is_known(nm):
            raise StrategyError(f"{field}: unknown economy or group {nm!r} in dataset "
                                f"{world.name!r}")
    return sorted({world.index(c) for c in world.expand(lst)})


def resolve_player(ev: Evaluator, names: str | Sequence[str], field: str = "player") -> Player:
    """The :class:`Player` made of ``names`` (an economy, a group, or a list of them).

    Raises:
        StrategyError: An unknown name.
    """
    members = np.array(_expand(ev.world, names, field), dtype=int)
    y = ev.baseline.Y[members]
    label = names if isinstance(names, str) else "+".join(names)
    return Player(name=label, members=members, weights=y / y.sum())


def partner_blocks(ev: Evaluator, player: Player, partners: Sequence[str] | None, *,
                   per_partner: bool, field: str = "partners") -> list[tuple[str, np.ndarray]]:
    """The player's instrument: a list of (label, exporter positions), one rate per block.

    ``partners=None`` means every non-member: one block (uniform) or one block per economy
    (per partner). Listed partners may be groups (one rate for all their members).

    Raises:
        StrategyError: Unknown names, partners that overlap each other or the player.
    """
    world = ev.world
    inside = set(player.members.tolist())
    if partners is None:
        others = [k for k in range(world.n) if k not in inside]
        if not others:
            raise StrategyError(f"{player.name} has no partners outside itself")
        if per_partner:
            codes = world.codes
            return [(codes[k], np.array([k])) for k in others]
        return [("all", np.array(others))]
    if isinstance(partners, str):
        partners = [partners]
    blocks: list[tuple[str, np.ndarray]] = []
    seen: set[int] = set()
    for k, nm in enumerate(partners):
        idx = _expand(world, nm, f"{field}[{k}]")
        if inside & set(idx):
            raise StrategyError(f"{field}[{k}]: {nm!r} overlaps the player {player.name!r}")
        if seen & set(idx):
            raise StrategyError(f"{field}[{k}]: {nm!r} overlaps another listed partner")
        seen.update(idx)
        blocks.append((nm, np.array(idx)))
    if not per_partner:
        return [("+".join(nm for nm, _ in blocks) if len(blocks) > 1 else blocks[0][0],
                 np.array(sorted(seen)))]
    return blocks


def set_rates(t: np.ndarray, members: np.ndarray, blocks: Sequence[tuple[str, np.ndarray]],
              rates: Sequence[float]) -> np.ndarray:
    """A copy of ``t`` in which every member charges ``rates[b]`` on the exporters of block b."""
    out = np.array(t, dtype=float, copy=True)
    for (_, idx), r in zip(blocks, rates, strict=True):
        out[np.ix_(idx, members)] = r
    return out


class Objective:
    """Ŵ_G as a function of the player's rates, all other tariffs held at ``t``.

    A trial at which no valid equilibrium exists (the solver fails even from the baseline, or
    its root breaks the model's invariants: :meth:`Evaluator.valid_welfare`) is worth −∞:
    never optimal.
    """

    def __init__(self, ev: Evaluator, player: Player, blocks: Sequence[tuple[str, np.ndarray]],
                 t: np.ndarray, dhat: np.ndarray | None = None) -> None:
        self.ev, self.player, self.blocks = ev, player, list(blocks)
        self.t = np.asarray(t, dtype=float)
        self.dhat = dhat

    def matrix(self, rates: Sequence[float]) -> np.ndarray:
        """The tariff matrix with the player's rates in place."""
        return set_rates(self.t, self.player.members, self.blocks, rates)

    def __call__(self, rates: Sequence[float]) -> float:
        w = self.ev.valid_welfare(self.matrix(rates), self.dhat)
        return -math.inf if w is None else self.player.welfare(w)

    def uniform(self, r: float) -> float:
        """Ŵ_G with every block at the same rate ``r``."""
        return self([r] * len(self.blocks))


@dataclass(frozen=True, eq=False)
class BestResponse:
    """A best response.

    Attributes:
        player: The player's label; ``members`` its economies.
        instrument: ``uniform`` or ``per_partner``.
        rates: Partner label -> rate charged (the whole ad valorem rate, not an additional one);
            ``all`` stands for every non-member.
        rate: The uniform rate (None for ``per_partner``).
        welfare: Ŵ_G at the best response (1 = the dataset's baseline).
        welfare_before: Ŵ_G at the tariffs given.
        welfare_uniform: Ŵ_G at the uniform optimum (the per-partner search starts there).
        t: The tariff matrix with the best response in place.
        at_bound: Whether some rate sits at the upper bound, or (``at_edge``) at the edge of
            the model's domain.
        converged: Whether the search met its tolerance (Brent always does; L-BFGS-B reports).
        message: The optimiser's message.
        solves: Equilibria solved by this search; ``seconds`` its wall time.
    """

    player: str
    members: tuple[str, ...]
    instrument: str
    rates: dict[str, float]
    rate: float | None
    welfare: float
    welfare_before: float
    welfare_uniform: float
    t: np.ndarray
    at_bound: bool
    converged: bool
    message: str
    solves: int
    seconds: float
    at_edge: bool = False

    @property
    def welfare_pct(self) -> float:
        """100 (Ŵ_G − 1)."""
        return 100.0 * (self.welfare - 1.0)

    @property
    def gain_pp(self) -> float:
        """Welfare gain over the tariffs given, in percentage points."""
        return 100.0 * (self.welfare - self.welfare_before)


def check_bound(upper: float, field: str = "upper") -> float:
    """``upper`` if it is a valid bound on rates (0 < upper ≤ MAX_RATE).

    Raises:
        StrategyError: Otherwise (the message names ``field``).
    """
    try:
        return check_upper(upper, field)
    except NumericsError as err:
        raise StrategyError(str(err)) from None


def search_uniform(obj: Objective, upper: float, *, lower: float = 0.0,
                   points: int = 31) -> ScalarMaximum:
    """The best common rate on all blocks in [lower, upper] (:func:`maximise_scalar`)."""
    return maximise_scalar(obj.uniform, lower, upper, points=points,
                           what=f"the uniform tariff of {obj.player.name}")


def search_per_partner(obj: Objective, x0: np.ndarray, upper: float
                       ) -> tuple[np.ndarray, float, bool, str]:
    """L-BFGS-B on the per-block rates from ``x0``: ``(rates, Ŵ_G, converged, message)``.

    The objective is −100(Ŵ_G − 1) (percent, so gradients are of order one).
    """
    def f(x: np.ndarray) -> float:
        v = obj(x)
        return -100.0 * (v - 1.0) if math.isfinite(v) else 1e6

    def fun(x: np.ndarray) -> tuple[float, np.ndarray]:
        x = np.clip(x, 0.0, upper)
        fx = f(x)
        return fx, fd_gradient(f, x, fx=fx, lower=0.0, upper=upper, step=FD_STEP)

    from scipy.optimize import minimize  # loaded on first use (start-up)

    res = minimize(fun, x0, jac=True, method="L-BFGS-B", bounds=[(0.0, upper)] * x0.size,
                   options={"ftol": 1e-12, "gtol": 1e-6, "maxiter": 200})
    x = np.clip(res.x, 0.0, upper)
    return x, 1.0 - float(res.fun) / 100.0, bool(res.success), str(res.message)


def best_response(world_or_evaluator: World | Evaluator, player: str | Sequence[str],
                  t: np.ndarray | None = None, *, instrument: Instrument = "uniform",
                  partners: Sequence[str] | None = None, params: ModelParams | None = None,
                  upper: float = 1.0, dhat: np.ndarray | None = None) -> BestResponse:
    """The tariff(s) that maximise the player's welfare given everyone else's tariffs ``t``.

    Args:
        world_or_evaluator: A World (solved with ``params``) or an
            :class:`~worldorder.trade.evaluator.Evaluator` (reused: warm starts, solve count).
        player: An economy, a group (acting as one: common rates, income-weighted welfare) or a
            list of them.
        t: Current tariffs ``t[j, i]`` (charged by importer i on j); default the baseline.
        instrument: ``uniform`` (one rate on every listed partner) or ``per_partner`` (one rate
            per listed partner).
        partners: Economies or groups taxed; default every non-member (per partner: each
            economy separately). Pairs not taxed by the instrument keep their rates in ``t``.
        params: Model parameters when a World is given (default ``ignatenko2025``).
        upper: Upper bound of every rate (rates are searched in [0, upper]; at most
            :data:`~worldorder.trade.instruments.MAX_RATE`).
        dhat: Iceberg trade-cost changes in force (sanctions), or None.

    Returns:
        A :class:`BestResponse`.

    Raises:
        StrategyError: Unknown or overlapping names, a bad bound (not in (0, MAX_RATE]) or
            instrument.
        ConvergenceError: No equilibrium exists for any rate tried.
    """
    if instrument not in ("uniform", "per_partner"):
        raise StrategyError(f"instrument: expected 'uniform' or 'per_partner', got "
                            f"{instrument!r}")
    upper = check_bound(upper)
    ev = as_evaluator(world_or_evaluator, params)
    start, solves0 = time.perf_counter(), ev.solves
    pl = resolve_player(ev, player)
    per = instrument == "per_partner"
    blocks = partner_blocks(ev, pl, partners, per_partner=per)
    t_now = ev.t0 if t is None else np.asarray(t, dtype=float)
    if t_now.shape != (ev.world.n, ev.world.n):
        raise StrategyError(f"t: expected a {ev.world.n}x{ev.world.n} tariff matrix, got shape "
                            f"{t_now.shape}")
    before = Objective(ev, pl, [], t_now, dhat)([])
    obj = Objective(ev, pl, blocks, t_now, dhat)
    uni = search_uniform(obj, upper)
    r_uni, w_uni = uni.x, uni.fx
    if per:
        x, w, converged, message = search_per_partner(obj, np.full(len(blocks), r_uni), upper)
        if not w >= w_uni:  # L-BFGS-B descends; keep the start if noise says otherwise
            x, w = np.full(len(blocks), r_uni), w_uni
        rates = [float(v) for v in x]
    else:
        rates, w, converged, message = [r_uni], w_uni, True, "grid scan and bounded Brent"
    full = obj.matrix(rates if per else [r_uni] * len(blocks))
    codes = ev.world.codes
    return BestResponse(
        player=pl.name, members=tuple(codes[k] for k in pl.members), instrument=instrument,
        rates={nm: r for (nm, _), r in zip(blocks, rates, strict=True)},
        rate=None if per else r_uni, welfare=w, welfare_before=before, welfare_uniform=w_uni,
        t=full, at_bound=(uni.at_upper or uni.at_edge) if not per else
        max(rates) > upper - 1e-4, converged=converged, message=message,
        solves=ev.solves - solves0, seconds=time.perf_counter() - start,
        at_edge=uni.at_edge and not per)
