"""Counterfactuals on a World: closures, the solve, and the tables users read.

A counterfactual changes tariffs from the World's baseline ``t0`` to ``t1`` (and optionally
iceberg trade costs by d̂) and solves :func:`~worldorder.trade.equilibrium.solve_equilibrium`
under the chosen closure:

* ``fixed_transfers``: deficits T_i fixed relative to world income (Ignatenko et al. 2025);
* ``proportional``: deficits a fixed share of own income (the "multiplicative" treatment of
  Baier, Yotov & Zylkin 2019's GE_gravity);
* ``balanced``: Ossa (2014, "Trade Wars and Trade Talks with Data", AER 104(12)): deficits are
  first removed (a counterfactual with T' = 0 and no policy change), and the policy is then
  applied from that balanced baseline; results are changes relative to the balanced baseline.

Outcome columns (percent changes unless said otherwise): ``welfare_pct`` 100(Ŵ−1),
``real_wage_pct`` 100(ŵ/P̂−1), ``employment_pct`` 100(L̂−1), ``price_index_pct`` 100(P̂−1),
``exports_to_gdp_pct`` and ``imports_to_gdp_pct`` (percent change of international exports and
imports over Y), ``trade_balance_change_pct`` 100(D'−D)/|D| with D = imports − exports (the
change of the trade deficit relative to its size, which explodes where D is near zero),
``deficit_change_pp_gdp`` 100(D'/Y' − D/Y) (the same change in percentage points of GDP, the
unit the command line and reports show), ``tariff_revenue`` (level, dataset unit) and
``tariff_revenue_pct_gdp`` (100 R'/Y').
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from worldorder.trade.baseline import Baseline, baseline_from_flows, baseline_from_world
from worldorder.trade.equilibrium import Equilibrium, Transfers, solve_equilibrium
from worldorder.trade.invariants import check_equilibrium
from worldorder.trade.params import ModelParams

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = ["Outcome", "bilateral_transfer_change", "model_baseline", "outcome_columns",
           "run_counterfactual"]


def model_baseline(world: World, params: ModelParams) -> Baseline:
    """The baseline of ``world`` under ``params``: the data, or the no-policy equilibrium with
    some imbalances removed, against which every change is then reported.

    * ``closure: balanced`` (Ossa 2014): every trade imbalance is removed (T' = 0);
    * ``balance_with: P`` (an economy, group or list): every economy's deficit is reduced by its
      bilateral deficit with P in the data (the part P finances) and the rest is kept. With
      D_ij = X_ji − X_ij (i's imports from j minus its exports to j, at producer prices), the
      transfers change by ΔT_i = −Σ_{j∈P} D_ij for i ∉ P and ΔT_j = −Σ_{i∉P} D_ji for j ∈ P
      (they sum to zero; P's members lose their imbalances with everyone else). The no-policy
      equilibrium under the scenario's closure with these transfers is the baseline: the policy
      is applied from it and results are changes against it. Transfers move total imbalances
      only: bilateral flows follow demand in this one-sector model, so bilateral balances with P
      shrink (the largest ones most) but are not zero in general.
    """
    base = baseline_from_world(world.trade, world.gdp, world.tariffs, params.nu,
                               domestic_flows=world.domestic_flows)
    if params.closure == "balanced":
        eq0 = solve_equilibrium(base, params, base.t0, transfers="none")
        return baseline_from_flows(eq0.X1, base.t0, params.nu, clipped=base.clipped)
    if not params.balance_with:
        return base
    change = bilateral_transfer_change(world, params.balance_with)
    transfers: Transfers = "proportional" if params.closure == "proportional" else "fixed"
    eq0 = solve_equilibrium(base, params, base.t0, transfers=transfers, transfer_change=change)
    return baseline_from_flows(eq0.X1, base.t0, params.nu, clipped=base.clipped)


def bilateral_transfer_change(world: World, partners: tuple[str, ...]) -> np.ndarray:
    """ΔT removing every economy's imbalance with ``partners`` (see :func:`model_baseline`)."""
    X = np.array(world.trade, dtype=float)
    np.fill_diagonal(X, 0.0)
    D = X.T - X  # D[i, j]: i's imports from j minus its exports to j
    m = np.zeros(world.n)
    m[[world.index(c) for c in partners]] = 1.0
    change: np.ndarray = -((1.0 - m) * (D @ m) + m * (D @ (1.0 - m)))
    return change


def run_counterfactual(world: World, params: ModelParams, t1: np.ndarray,
                       dhat: np.ndarray | None = None, *, baseline: Baseline | None = None,
                       guess: np.ndarray | None = None, tol: float = 1e-10) -> Outcome:
    """Solve the counterfactual of new tariffs ``t1`` (and trade costs ``dhat``) on ``world``.

    Args:
        world: The World.
        params: Resolved parameters (:func:`~worldorder.trade.params.resolve_params`).
        t1: ``(N, N)`` new tariffs, ``t1[j, i]`` charged by importer i on exporter j.
        dhat: ``(N, N)`` iceberg trade-cost changes (1 = none) or None.
        baseline: A precomputed :func:`model_baseline` (saves the balancing solve).
        guess: Warm start (``Outcome.equilibrium.z`` of a nearby solve).
        tol: Solver tolerance.

    Raises:
        ConvergenceError: When the solver does not converge.
        ModelDomainError: When the equilibrium breaks the model's invariants (negative real
            income, non-finite values: :mod:`worldorder.trade.invariants`).
    """
    base = baseline if baseline is not None else model_baseline(world, params)
    transfers: Transfers = "proportional" if params.closure == "proportional" else "fixed"
    with np.errstate(all="ignore"):  # a root outside the domain is refused just below
        eq = solve_equilibrium(base, params, t1, dhat, transfers=transfers, guess=guess,
                               tol=tol)
    check_equilibrium(eq, world.codes)
    return Outcome(world=world, params=params, baseline=base, equilibrium=eq, dhat=dhat)


def outcome_columns(b: Baseline, e: Equilibrium) -> dict[str, np.ndarray]:
    """The outcome columns of :attr:`Outcome.economies` (module docstring) as ``(N,)`` arrays,
    in table order, from a baseline and an equilibrium (also used row-free by sweeps)."""
    X0 = b.X.copy()
    X1 = e.X1.copy()
    np.fill_diagonal(X0, 0.0)
    np.fill_diagonal(X1, 0.0)
    exp0, imp0 = X0.sum(axis=1), X0.sum(axis=0)
    exp1, imp1 = X1.sum(axis=1), X1.sum(axis=0)
    D0, D1 = imp0 - exp0, imp1 - exp1
    with np.errstate(divide="ignore", invalid="ignore"):
        bal = np.where(np.abs(D0) > 1e-9 * b.Y, 100.0 * (D1 - D0) / np.abs(D0), np.nan)
        ex_ratio = 100.0 * ((exp1 / e.Y1) / (exp0 / b.Y) - 1.0)
        im_ratio = 100.0 * ((imp1 / e.Y1) / (imp0 / b.Y) - 1.0)
    return {
        "welfare_pct": 100.0 * (e.welfare - 1.0),
        "real_wage_pct": 100.0 * (e.real_wage - 1.0),
        "employment_pct": 100.0 * (e.Lhat - 1.0),
        "price_index_pct": 100.0 * (e.Phat - 1.0),
        "exports_to_gdp_pct": ex_ratio,
        "imports_to_gdp_pct": im_ratio,
        "trade_balance_change_pct": bal,
        "tariff_revenue": e.R1,
        "tariff_revenue_pct_gdp": 100.0 * e.R1 / e.Y1,
        "nominal_wage_pct": 100.0 * (e.what - 1.0),
        "expenditure_pct": 100.0 * (e.Ehat - 1.0),
        "exports_to_gdp_after": 100.0 * exp1 / e.Y1,
        "imports_to_gdp_after": 100.0 * imp1 / e.Y1,
        "domestic_share_after": 100.0 * np.diag(e.lam1),
        "deficit_change_pp_gdp": 100.0 * (D1 / e.Y1 - D0 / b.Y),
    }


@dataclass(frozen=True, eq=False)
class Outcome:
    """A solved counterfactual with its tables.

    Attributes:
        world: The World.
        params: The parameters.
        baseline: The model baseline (balanced if the closure says so).
        equilibrium: The solution.
        dhat: Trade-cost changes, if any.
    """

    world: World
    params: ModelParams
    baseline: Baseline
    equilibrium: Equilibrium
    dhat: np.ndarray | None = None

    @cached_property
    def economies(self) -> pd.DataFrame:
        """One row per economy with the outcome columns (see the module docstring)."""
        return pd.DataFrame({
            "economy": self.world.codes,
            "name": self.world.economies["name"].to_numpy(),
            **outcome_columns(self.baseline, self.equilibrium),
        })

    @cached_property
    def flows(self) -> pd.DataFrame:
        """Bilateral flows before and after (international pairs with trade), long format."""
        b, e = self.baseline, self.equilibrium
        codes = np.asarray(self.world.codes)
        mask = (b.X > 0) & ~np.eye(b.n, dtype=bool)
        j, i = np.nonzero(mask)
        before, after = b.X[j, i], e.X1[j, i]
        return pd.DataFrame({
            "exporter": codes[j], "importer": codes[i],
            "value_before": before, "value_after": after,
            "change_pct": 100.0 * (after / before - 1.0),
            "tariff_before": b.t0[j, i], "tariff_after": e.t1[j, i],
        })

    def world_totals(self) -> dict[str, float]:
        """World aggregates: GDP-weighted welfare, trade change and total tariff revenue."""
        econ = self.economies
        w = self.baseline.Y / self.baseline.Y.sum()
        fl = self.flows
        return {
            "welfare_pct_gdp_weighted": float((w * econ["welfare_pct"]).sum()),
            "world_trade_change_pct": float(
                100.0 * (fl["value_after"].sum() / fl["value_before"].sum() - 1.0)),
            "tariff_revenue": float(econ["tariff_revenue"].sum()),
        }
