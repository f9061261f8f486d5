"""Optimal retaliation by a group against a target, in closed form and numerically.

A group G (economies, or a group name such as ``EU``) retaliates against a target T: every member
sets one common rate on T's goods. Two answers, reported side by side:

**Closed form** (Ignatenko, Macedoni, Lashkaripour & Simonovska 2025, JIE, optimal retaliation):
treat G as one economy and T as the other (a two-region aggregate of the baseline flows), and
apply the single-economy optimal tariff formula
(:func:`~worldorder.trade.instruments.optimal_tariff_closed_form`) to G's trade with T:

.. math::

    t^*_G = \\frac{1}{(1 + δ_G ε_G)\\, φ_G - 1},\\qquad
    δ_G = \\frac{X_{GT}\\,(1-ν_T)\\,(1-λ_{GT})}{(1-ν_G)\\,(Y_G - X_{GG})},

with, from the model baseline (domestic flows included):

* X_GT = Σ_{i∈G, j∈T} X_ij, G's sales to T at producer prices; X_GG = Σ_{i,k∈G} X_ik, G's sales to
  itself (domestic and intra-group);
* λ_GT = Σ_{i∈G, j∈T} X_ij (1+t⁰_ij) / Σ_{j∈T} E_j, the share of G's goods in T's expenditure;
* Y_G the output of G in the two-region aggregate, i.e. the model's income definition
  Y_i = Σ_k (1−ν_k) X_ik + ν_i Σ_k X_ki summed over i ∈ G with k restricted to G ∪ T, so that
  Y_G − X_GG = Σ_{i∈G} [Σ_{j∈T} (1−ν_j) X_ij + ν_i Σ_{j∈T} X_ji]: what G earns on its trade with T.
  The denominator is output rather than expenditure (E_G − X_GG, G's purchases from T), so G's
  bilateral deficit with T does not enter; with ν = 0 it is X_GT and δ_G = 1 − λ_GT;
* φ_G, ν_G, ε_G (and ν_T when T is a group) are GDP-weighted means over the members (a choice:
  under the presets they differ across members only in ν and φ of the USA).

The closed form is evaluated at the baseline, so it does not depend on the tariffs in force. It is
the two-country optimal tariff of the aggregate: it ignores third countries, to which a tariff on
T also diverts G's demand, and it overstates the numerical optimum in multi-country worlds
(EU against the USA in ``world-2024``: about 21% against 13%). With G's *total* output in the
denominator (sales to third countries included) δ_G would shrink with T's share of G's exports
and the formula would return prohibitive rates for small targets; that reading is not used.

**Numerical**: the common rate r ∈ [0, upper] on T that maximises G's income-weighted welfare
Σ_{i∈G} Y_i (Ŵ_i − 1) given the tariffs in force (a uniform best response of G as one player on
T only: :func:`~worldorder.strategy.best_response.best_response`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from worldorder.strategy.best_response import (
    Objective,
    as_evaluator,
    check_bound,
    partner_blocks,
    resolve_player,
    search_uniform,
)

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.trade.baseline import Baseline
    from worldorder.trade.evaluator import Evaluator
    from worldorder.trade.params import ModelParams

__all__ = ["ClosedForm", "RetaliationResult", "optimal_retaliation",
           "retaliation_closed_form"]


@dataclass(frozen=True)
class ClosedForm:
    """The two-region closed form and its ingredients (see the module docstring).

    Attributes:
        rate: t*_G; delta: δ_G; phi, nu_group, nu_target, epsilon: the group means;
        lam: λ_GT; x_gt, x_gg: aggregate flows; y_g: G's output in the two-region aggregate.
    """

    rate: float
    delta: float
    phi: float
    nu_group: float
    nu_target: float
    epsilon: float
    lam: float
    x_gt: float
    x_gg: float
    y_g: float


def retaliation_closed_form(base: Baseline, params: ModelParams, gdp: np.ndarray,
                            group: Sequence[int], target: Sequence[int]) -> ClosedForm:
    """Optimal retaliatory rate of ``group`` on ``target`` (matrix positions), closed form.

    Args:
        base: The model baseline (flows with domestic sales, expenditure, output).
        params: Model parameters (ε, ν, φ per economy).
        gdp: GDP per economy (the weights of the group means).
        group, target: Disjoint lists of positions.

    Returns:
        A :class:`ClosedForm` with the rate t*_G = 1/((1 + δ_G ε_G) φ_G − 1).
    """
    g, tt = np.asarray(group, dtype=int), np.asarray(target, dtype=int)
    wg, wt = gdp[g] / gdp[g].sum(), gdp[tt] / gdp[tt].sum()
    X, nu = base.X, params.nu
    x_gt = float(X[np.ix_(g, tt)].sum())
    x_gg = float(X[np.ix_(g, g)].sum())
    lam = float((X[np.ix_(g, tt)] * (1.0 + base.t0[np.ix_(g, tt)])).sum() / base.E[tt].sum())
    region = np.concatenate([g, tt])
    y_g = float(((1.0 - nu[region])[None, :] * X[np.ix_(g, region)]).sum()
                + (nu[g] * X[np.ix_(region, g)].sum(axis=0)).sum())
    nu_g, nu_t = float(wg @ nu[g]), float(wt @ nu[tt])
    phi, eps = float(wg @ params.phi[g]), float(wg @ params.epsilon[g])
    delta = x_gt * (1.0 - nu_t) * (1.0 - lam) / ((1.0 - nu_g) * (y_g - x_gg))
    den = (1.0 + delta * eps) * phi - 1.0
    rate = 1.0 / den if den > 0 else float("inf")  # G sells nothing to T: no terms-of-trade limit
    return ClosedForm(rate=rate, delta=delta, phi=phi, nu_group=nu_g, nu_target=nu_t,
                      epsilon=eps, lam=lam, x_gt=x_gt, x_gg=x_gg, y_g=y_g)


@dataclass(frozen=True, eq=False)
class RetaliationResult:
    """Optimal retaliation of a group against a target.

    Attributes:
        group, target: Labels; ``members`` and ``targets`` the economies.
        closed_form: The closed-form rate; ``closed`` its ingredients.
        numerical: The numerical optimum (whole rate charged by every member on the target).
        welfare: Ŵ_G (income-weighted over members; 1 = the dataset's baseline) at the numerical
            optimum; ``welfare_closed_form`` at the closed-form rate; ``welfare_before`` at the
            tariffs given (no retaliation).
        members_welfare: Ŵ_i of each member at the numerical optimum.
        target_welfare: Ŵ of the target (income-weighted) at the numerical optimum.
        t: The tariff matrix with the numerical rate in place; ``t_closed_form`` likewise.
        at_bound: Whether the numerical rate sits at ``upper``, or (``at_edge``) at the edge
            of the model's domain.
        solves, seconds: Equilibria solved and wall time.
    """

    group: str
    target: str
    members: tuple[str, ...]
    targets: tuple[str, ...]
    closed_form: float
    closed: ClosedForm
    numerical: float
    welfare: float
    welfare_closed_form: float
    welfare_before: float
    members_welfare: dict[str, float]
    target_welfare: float
    t: np.ndarray
    t_closed_form: np.ndarray
    at_bound: bool
    solves: int
    seconds: float
    at_edge: bool = False

    def table(self) -> pd.DataFrame:
        """One row per method: rate, group welfare (%), gain over no retaliation (pp), and
        whether the rate sits on the search's upper bound (numerical only; the numerical row is
        left out when only the closed form was computed)."""
        rows = [("numerical", self.numerical, self.welfare, self.at_bound),
                ("closed_form", self.closed_form, self.welfare_closed_form, False)]
        rows = [r for r in rows if not (r[0] == "numerical" and np.isnan(r[1]))]
        return pd.DataFrame(
            [{"group": self.group, "target": self.target, "method": m, "rate": r,
              "welfare_pct": 100 * (w - 1), "gain_pp": 100 * (w - self.welfare_before),
              "at_bound": b}
             for m, r, w, b in rows])


def optimal_retaliation(world_or_evaluator: World | Evaluator, group: str | Sequence[str],
                        against: str, t: np.ndarray | None = None, *,
                        params: ModelParams | None = None, upper: float = 1.0,
                        dhat: np.ndarray | None = None,
                        numerical: bool = True) -> RetaliationResult:
    """Optimal common retaliatory rate of ``group`` on ``against``, closed form and numerical.

    Args:
        world_or_evaluator: A World (with ``params``, default ``ignatenko2025``) or an Evaluator.
        group: An economy, a group name or a list of them, acting as one.
        against: The target economy or group.
        t: The tariffs in force (default: the baseline); the numerical optimum is a best
            response to them.
        params: Parameters when a World is given.
        upper: Upper bound of the numerical search (at most
            :data:`~worldorder.trade.instruments.MAX_RATE`).
        dhat: Iceberg trade-cost changes in force, or None.
        numerical: Also search for the numerical optimum (many equilibrium solves). With
            False only the closed form is computed (two solves: before and at its rate); the
            numerical fields are then NaN, ``t`` is the closed-form matrix, and the members'
            and target's welfare are at the closed-form rate.

    Raises:
        StrategyError: Unknown names, a target that overlaps the group, or a bound not in
            (0, MAX_RATE].
        ConvergenceError: No equilibrium for any rate tried.
    """
    upper = check_bound(upper)
    ev = as_evaluator(world_or_evaluator, params)
    start, solves0 = time.perf_counter(), ev.solves
    pl = resolve_player(ev, group, "by")
    blocks = partner_blocks(ev, pl, [against], per_partner=False, field="against")
    t_now = ev.t0 if t is None else np.asarray(t, dtype=float)
    obj = Objective(ev, pl, blocks, t_now, dhat)
    before = Objective(ev, pl, [], t_now, dhat)([])
    target = resolve_player(ev, against, "against")
    cf = retaliation_closed_form(ev.baseline, ev.params, ev.world.gdp, pl.members,
                                 blocks[0][1])
    t_closed = obj.matrix([cf.rate]) if np.isfinite(cf.rate) else t_now.copy()
    w_closed = obj.uniform(cf.rate) if np.isfinite(cf.rate) else float("nan")
    if numerical:
        best = search_uniform(obj, upper)
        rate, w, at_bound, at_edge = best.x, best.fx, best.at_upper or best.at_edge, \
            best.at_edge
        t_applied = obj.matrix([rate])
    else:  # the closed form alone: no search
        rate, w, t_applied, at_bound, at_edge = float("nan"), float("nan"), t_closed, False, \
            False
    eq_w = ev.welfare(t_applied, dhat)
    codes = ev.world.codes
    return RetaliationResult(
        group=pl.name, target=against, members=tuple(codes[k] for k in pl.members),
        targets=tuple(codes[k] for k in target.members), closed_form=cf.rate, closed=cf,
        numerical=rate, welfare=w, welfare_closed_form=w_closed, welfare_before=before,
        members_welfare={codes[k]: float(eq_w[k]) for k in pl.members},
        target_welfare=target.welfare(eq_w), t=t_applied, t_closed_form=t_closed,
        at_bound=at_bound, at_edge=at_edge,
        solves=ev.solves - solves0, seconds=time.perf_counter() - start)
