"""Repeated counterfactual solves on one World: the workhorse of the strategy layer.

Best responses, trade wars, bargaining and coalition values solve the equilibrium hundreds to
thousands of times on the same baseline. :class:`Evaluator` builds the baseline once and warm-starts
each solve from the most recent solution (nearby policies have nearby equilibria), retrying from
the baseline if a warm start fails. Results depend only on the inputs, never on the order of calls:
a warm start changes the path to the solution, not the solution (the tolerance is 1e-10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from worldorder.errors import ConvergenceError
from worldorder.trade.counterfactual import model_baseline
from worldorder.trade.equilibrium import Equilibrium, Transfers, solve_equilibrium
from worldorder.trade.invariants import violations

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.trade.params import ModelParams

__all__ = ["Evaluator"]


class Evaluator:
    """Solve many counterfactuals of one World and parameter set.

    Args:
        world: The World.
        params: Resolved parameters (the closure decides the baseline: balanced purges
            deficits first, as in Ossa 2014).

    Attributes:
        world, params: As given.
        baseline: The model baseline.
        t0: Baseline tariffs (``t0[j, i]`` charged by importer i on j).
        solves: Number of equilibria solved so far.
    """

    def __init__(self, world: World, params: ModelParams) -> None:
        self.world = world
        self.params = params
        self.baseline = model_baseline(world, params)
        self.t0 = self.baseline.t0.copy()
        self.transfers: Transfers = ("proportional" if params.closure == "proportional"
                                     else "fixed")
        self.solves = 0
        self._z: np.ndarray | None = None

    def reset(self) -> None:
        """Forget the last solution: the next solve starts cold, from the baseline.

        A computation whose result must depend only on its own inputs (a chunk of a parallel
        table, bit-identical with any number of workers) calls this first, so that no warm start
        carries over from earlier work. The solve count is kept.
        """
        self._z = None

    def solve(self, t: np.ndarray, dhat: np.ndarray | None = None,
              transfer_change: np.ndarray | None = None) -> Equilibrium:
        """The equilibrium under tariffs ``t`` (and trade costs, transfer changes)."""
        self.solves += 1
        try:
            eq = solve_equilibrium(self.baseline, self.params, t, dhat,
                                   transfers=self.transfers, guess=self._z,
                                   transfer_change=transfer_change)
        except ConvergenceError:
            if self._z is None:
                raise
            eq = solve_equilibrium(self.baseline, self.params, t, dhat,
                                   transfers=self.transfers,
                                   transfer_change=transfer_change)
        self._z = eq.z
        return eq

    def welfare(self, t: np.ndarray, dhat: np.ndarray | None = None,
                transfer_change: np.ndarray | None = None) -> np.ndarray:
        """Ŵ of every economy (1 = unchanged) under tariffs ``t``."""
        return self.solve(t, dhat, transfer_change).welfare

    def valid_welfare(self, t: np.ndarray, dhat: np.ndarray | None = None) -> np.ndarray | None:
        """Ŵ of every economy under tariffs ``t``, or None where the model has no valid
        equilibrium: the solver fails, or its root breaks the invariants of
        :mod:`worldorder.trade.invariants` (a real income at or below zero, ...). Searches treat
        such a policy as never optimal: a root that describes no possible economy must not
        win one (under fixed deficits the US gained 5% at a 400% tariff that left Qatar's real
        income negative)."""
        try:
            eq = self.solve(t, dhat)
        except ConvergenceError:
            return None
        if violations(self.world.codes, welfare=eq.welfare, what=eq.what, Lhat=eq.Lhat,
                      Phat=eq.Phat, E1=eq.E1, Y1=eq.Y1, X1=eq.X1, lam1=eq.lam1,
                      delta=eq.delta):
            return None
        return eq.welfare

    def index(self, codes: str | list[str]) -> list[int]:
        """Matrix positions of economy codes or group names."""
        return [self.world.index(c) for c in self.world.expand(codes)]
