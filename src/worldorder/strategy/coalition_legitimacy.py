"""Legitimacy in coalition values: members weigh the hegemon's loss as its legitimacy falls.

**The assumption.** A coalition of middle powers facing a hegemon H values its own money-metric
welfare (the worth of :mod:`worldorder.strategy.coalitions`). When H's legitimacy in a member's
eyes falls, that member also comes to count H's gains against itself: coercion that is not
accepted as rightful turns absolute-gains cooperation into relative-gains rivalry (Grieco 1988;
Powell 1991: the weight on relative gains rises with the threat the other side poses) and
illegitimate coercion is met with balancing (Walt 1987) rather than deference (Hurd 1999: coercion
is the costly substitute for legitimacy; Lake 2009). Member economy i's payoff, in the dataset's
value unit, is

.. math::

    u_i = E_i\\,(Ŵ_i − 1) − μ_i\\,E_i\\,(Ŵ_H − 1), \\qquad μ_i = θ\\,(1 − R_i^{η}),

with Ŵ_H the hegemon's welfare change (income-weighted over its economies when H is a group),
R_i ∈ (0, 1] H's legitimacy with i relative to the baseline (:mod:`worldorder.security.legitimacy`;
in a simulation, the ``order`` layer's R on the date before the step), θ ≥ 0 the weight on H's
relative change at zero legitimacy (θ = 1: a member then counts a 1% gain of H like a 1% loss of
its own, Grieco's pure defensive positionalism) and η ≥ 0 the curvature. The worth of a coalition
is v_R(S) = Σ_{i∈S} u_i, and its optimal common rate maximises v_R.

**What follows.** At R = 1 (or θ = 0, or η = 0) μ = 0 and everything is exactly as before. As R
falls, μ rises, and

* the optimal common rate is non-decreasing in μ and H's welfare under the coalition's response
  non-increasing (the objective f(τ) − μ̄ g(τ), g(τ) = Ŵ_H(τ) − 1 falling in τ, has increasing
  differences in (τ, μ̄); Topkis 1978): coercion costs H more;
* v_R(S) − Σ v_R({i}) gains μ-weighted terms in H's loss, which grows with the coalition's
  market: the term is not a per-member constant (unlike a flat "defiance premium", which would
  leave stability, the core and Shapley differences unchanged), so legitimacy changes which
  coalitions are stable.

References:
    Grieco, J. M. (1988), "Anarchy and the limits of cooperation", International Organization
    42(3). Powell, R. (1991), "Absolute and relative gains in international relations theory",
    American Political Science Review 85(4). Walt, S. M. (1987), The Origins of Alliances.
    Hurd, I. (1999), "Legitimacy and authority in international politics", International
    Organization 53(2). Topkis, D. M. (1978), "Minimizing a submodular function on a lattice",
    Operations Research 26(2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from worldorder.strategy.coalition_players import CoalitionError

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = ["DEFAULT_BALANCING", "DEFAULT_ELASTICITY", "balancing_weights", "hegemon_change",
           "member_gains"]

#: θ: the weight on the hegemon's relative change at zero legitimacy (an assumption).
DEFAULT_BALANCING = 1.0
#: η: the curvature of μ = θ (1 − R^η) (an assumption).
DEFAULT_ELASTICITY = 1.0


def balancing_weights(world: World, legitimacy: Mapping[str, float] | None,
                      hegemon: Sequence[int], *, theta: float = DEFAULT_BALANCING,
                      eta: float = DEFAULT_ELASTICITY) -> np.ndarray | None:
    """μ_i = θ (1 − R_i^η) for every economy of the World (0 for the hegemon's economies and for
    economies without a legitimacy figure, i.e. R = 1).

    Args:
        world: The World.
        legitimacy: ``{economy or group: R}``, R in (0, 1]; a group's R applies to each of its
            economies (an economy named on its own overrides its group's figure).
        hegemon: Matrix positions of the hegemon's economies.
        theta, eta: θ ≥ 0 and η ≥ 0.

    Returns:
        ``(N,)`` μ, or ``None`` when every μ is 0 (no legitimacy figure below 1, θ = 0 or
        η = 0): the caller then computes exactly the worth without legitimacy.

    Raises:
        CoalitionError: An unknown name, R outside (0, 1], θ or η negative or not finite.
    """
    for what, x in (("balancing weight theta", theta), ("legitimacy elasticity eta", eta)):
        if not (math.isfinite(x) and x >= 0.0):
            raise CoalitionError(f"the {what} must be a finite number >= 0 (got {x})")
    mu = np.zeros(world.n)
    if not legitimacy or theta == 0.0 or eta == 0.0:
        return None
    groups = [(k, r) for k, r in legitimacy.items() if k not in world.codes]
    singles = [(k, r) for k, r in legitimacy.items() if k in world.codes]
    for name, r in [*groups, *singles]:
        if not world.is_known(name):
            raise CoalitionError(f"legitimacy of {name!r}: not an economy or group of dataset "
                                 f"{world.name!r}")
        r = float(r)
        if not (math.isfinite(r) and 0.0 < r <= 1.0):
            raise CoalitionError(f"legitimacy of {name!r} is {r:g}: it must lie in (0, 1] "
                                 f"(1 = the baseline)")
        for code in world.expand(name):
            mu[world.index(code)] = theta * (1.0 - r ** eta)
    mu[list(hegemon)] = 0.0
    return mu if mu.any() else None


def hegemon_change(W: np.ndarray, E: np.ndarray, hegemon: Sequence[int]) -> np.ndarray:
    """Ŵ_H − 1 = Σ_{h∈H} E_h (Ŵ_h − 1) / Σ_{h∈H} E_h along the last axis of ``W`` (one value per
    row of a stack of welfare vectors)."""
    h = list(hegemon)
    return np.asarray((W[..., h] - 1.0) @ E[h] / E[h].sum())


def member_gains(W: np.ndarray, E: np.ndarray, mu: np.ndarray | None,
                 hegemon: Sequence[int]) -> np.ndarray:
    """u_i = E_i (Ŵ_i − 1) − μ_i E_i (Ŵ_H − 1) for every economy (along the last axis of ``W``);
    with ``mu=None`` exactly E_i (Ŵ_i − 1)."""
    G = (W - 1.0) * E
    if mu is None:
        return G
    return G - (mu * E) * hegemon_change(W, E, hegemon)[..., None]
