"""Best responses in closed form: the optimal uniform tariff of Ignatenko et al. (2025).

``best_response`` searches numerically for the tariff that maximises a player's welfare, solving
the full equilibrium at every trial. The closed form gives the rate without a search:

* a single economy i taxing every partner (the paper's optimal tariff,
  :func:`~worldorder.trade.instruments.optimal_tariff_closed_form`):

  .. math::

      t^*_i = \\frac{1}{(1 + δ_i ε_i) φ_i - 1},\\qquad
      δ_i = \\frac{\\sum_{k≠i} X_{ik}(1-ν_k)(1-λ_{ik})}{(1-ν_i)(E_i - X_{ii})};

* a group, or an economy taxing listed partners only: the same formula for the two-region
  aggregate of the player and its partners (:func:`~worldorder.strategy.retaliation.
  retaliation_closed_form`, the aggregation of the optimal-retaliation closed form).

Both are evaluated at the model baseline, so the rate does not depend on the tariffs in force:
it is exact to first order in the Armington case with balanced trade (tested against the
numerical best response), and a benchmark with scale economies, labour supply, deficits or many
countries (the aggregate ignores the diversion of demand to third countries; see
:mod:`worldorder.strategy.retaliation` for the size of the gap). The welfare it brings is then
computed with the full model (two equilibrium solves: before and at the rate).

References: Ignatenko, Macedoni, Lashkaripour & Simonovska (2025), "Making America Great Again?
The Economic Impacts of Liberation Day Tariffs", Journal of International Economics; Gros (1987),
"A Note on the Optimal Tariff, Retaliation and the Welfare Loss from Tariff Wars in a Framework
with Intra-Industry Trade", JIE 23; Costinot & Rodríguez-Clare (2014), Handbook of International
Economics vol. 4.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from worldorder.errors import StrategyError
from worldorder.strategy.best_response import (
    BestResponse,
    Objective,
    as_evaluator,
    partner_blocks,
    resolve_player,
)
from worldorder.strategy.retaliation import retaliation_closed_form
from worldorder.trade.instruments import optimal_tariff_closed_form

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.trade.evaluator import Evaluator
    from worldorder.trade.params import ModelParams

__all__ = ["best_response_closed_form"]


def best_response_closed_form(world_or_evaluator: World | Evaluator,
                              player: str | Sequence[str], t: np.ndarray | None = None, *,
                              partners: Sequence[str] | None = None,
                              params: ModelParams | None = None,
                              dhat: np.ndarray | None = None) -> BestResponse:
    """The closed-form optimal uniform tariff of ``player`` (see the module docstring).

    Args:
        world_or_evaluator: A World (solved with ``params``) or an Evaluator.
        player: An economy, a group or a list of them (acting as one).
        t: Tariffs in force (default: the baseline); the rate replaces the player's rates on
            its partners, every other rate stays.
        partners: Economies or groups taxed (default: every non-member).
        params: Model parameters when a World is given (default ``ignatenko2025``).
        dhat: Iceberg trade-cost changes in force, or None.

    Returns:
        A :class:`~worldorder.strategy.best_response.BestResponse` with ``instrument``
        ``uniform`` and ``message`` naming the formula used.

    Raises:
        StrategyError: Unknown or overlapping names, or no finite rate (the player sells
            nothing to its partners, so it faces no export-supply limit).
    """
    ev = as_evaluator(world_or_evaluator, params)
    start, solves0 = time.perf_counter(), ev.solves
    pl = resolve_player(ev, player)
    blocks = partner_blocks(ev, pl, partners, per_partner=False)
    t_now = ev.t0 if t is None else np.asarray(t, dtype=float)
    if len(pl.members) == 1 and partners is None:
        rate = float(optimal_tariff_closed_form(ev.baseline, ev.params, pl.members[0]))
        formula = "closed form t* = 1/((1 + δε)φ − 1) (Ignatenko et al. 2025)"
    else:
        target = np.concatenate([idx for _, idx in blocks])
        cf = retaliation_closed_form(ev.baseline, ev.params, ev.world.gdp, pl.members, target)
        rate = cf.rate
        formula = ("closed form of the two-region aggregate t* = 1/((1 + δ_G ε_G)φ_G − 1) "
                   "(Ignatenko et al. 2025)")
    if not (math.isfinite(rate) and rate >= 0):
        raise StrategyError(f"best_response: no finite closed-form rate for {pl.name} "
                            f"(got {rate!r}); it sells nothing to the partners taxed, use "
                            "method: numerical")
    before = Objective(ev, pl, [], t_now, dhat)([])
    obj = Objective(ev, pl, blocks, t_now, dhat)
    rates = [rate] * len(blocks)
    w = obj(rates)
    codes = ev.world.codes
    return BestResponse(
        player=pl.name, members=tuple(codes[k] for k in pl.members), instrument="uniform",
        rates={label: rate for label, _ in blocks}, rate=rate, welfare=w, welfare_before=before,
        welfare_uniform=w, t=obj.matrix(rates), at_bound=False, converged=True,
        message=formula, solves=ev.solves - solves0, seconds=time.perf_counter() - start)
