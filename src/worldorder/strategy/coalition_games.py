"""Transferable-utility (TU) cooperative games: the core, the least core and the Shapley value.

A TU game on players N gives every coalition S ⊆ N a worth v(S) that its members can share,
with v(∅) = 0. Games here are given either as a mapping ``frozenset(players) -> worth`` or as a
function of a frozenset; internally they become a vector indexed by bitmask (bit k = player k).

* :func:`core_nonempty` and :func:`least_core`: the core is the set of efficient allocations no
  coalition can improve upon,

  .. math::

      C(v) = \\{x ∈ ℝ^N : \\textstyle\\sum_{i∈N} x_i = v(N),\\ \\sum_{i∈S} x_i ≥ v(S)\\ ∀S ⊂ N\\},

  (Gillies 1959). The least core (Maschler, Peleg & Shapley 1979) relaxes every coalition's
  constraint by the smallest common ε that makes the set non-empty; the core is non-empty iff
  ε* ≤ 0 (Bondareva 1963; Shapley 1967). Both come from one linear program (HiGHS via
  ``scipy.optimize.linprog``): minimise ε subject to Σ_{i∈S} x_i + ε ≥ v(S) for every proper
  non-empty S and Σ_N x_i = v(N).
* :func:`shapley`: the Shapley (1953) value, exactly, from the formula over subsets

  .. math::

      φ_i(v) = \\sum_{S ⊆ N∖\\{i\\}} \\frac{|S|!\\,(n-|S|-1)!}{n!}
               \\big(v(S∪\\{i\\}) - v(S)\\big).

  Efficient (Σφ = v(N)), symmetric, zero for null players, additive; in the core of a convex
  game (Shapley 1971).
* :func:`is_convex`, :func:`is_superadditive`: supermodularity and superadditivity checks.

References:
    Gillies, D. B. (1959), "Solutions to general non-zero-sum games", Contributions to the
    Theory of Games IV. Bondareva, O. N. (1963), Problemy Kibernetiki 10. Shapley, L. S. (1953),
    "A value for n-person games", Contributions to the Theory of Games II; (1967) "On balanced
    sets and cores", Naval Research Logistics Quarterly 14; (1971) "Cores of convex games",
    IJGT 1. Maschler, M., Peleg, B. & Shapley, L. S. (1979), "Geometric properties of the kernel,
    nucleolus, and related solution concepts", Mathematics of Operations Research 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from worldorder.errors import GameError

__all__ = [
    "MAX_PLAYERS",
    "GameError",
    "core_nonempty",
    "game_vector",
    "is_convex",
    "is_superadditive",
    "least_core",
    "shapley",
]

#: Largest number of players the exact tools accept (2^n coalitions).
MAX_PLAYERS = 16

Game = Mapping[frozenset[str], float] | Callable[[frozenset[str]], float]




def game_vector(v: Game, players: Sequence[str]) -> np.ndarray:
    """The worths of all 2^n coalitions, indexed by bitmask (bit k = ``players[k]``).

    Args:
        v: Mapping ``frozenset -> worth`` (the empty set may be omitted) or a function.
        players: The players, in order.

    Raises:
        GameError: Duplicate or too many players, a missing coalition, v(∅) ≠ 0 or a
            non-finite worth.
    """
    players = list(players)
    n = len(players)
    if n == 0:
        raise GameError("a game needs at least one player")
    if len(set(players)) != n:
        raise GameError(f"duplicate players in {players}")
    if n > MAX_PLAYERS:
        raise GameError(f"{n} players: the exact game tools take at most {MAX_PLAYERS}")
    out = np.zeros(1 << n)
    for mask in range(1, 1 << n):
        s = frozenset(players[k] for k in range(n) if mask >> k & 1)
        if callable(v):
            val = v(s)
        else:
            if s not in v:
                raise GameError(f"the game has no worth for coalition {{{', '.join(sorted(s))}}}")
            val = v[s]
        out[mask] = float(val)
    empty = v(frozenset()) if callable(v) else v.get(frozenset(), 0.0)
    if abs(float(empty)) > 0:
        raise GameError(f"v(∅) must be 0 (got {float(empty):g})")
    if not np.isfinite(out).all():
        raise GameError("every coalition's worth must be finite")
    return out


def _popcount(n: int) -> np.ndarray:
    return np.array([m.bit_count() for m in range(1 << n)])


def _membership(n: int) -> np.ndarray:
    """``(2^n, n)`` 0/1 matrix: row = coalition, column = player."""
    masks = np.arange(1 << n)[:, None]
    return ((masks >> np.arange(n)[None, :]) & 1).astype(float)


def least_core(v: Game, players: Sequence[str]) -> tuple[float, dict[str, float]]:
    """The least-core ε* and an allocation in the least core.

    Solves: min ε s.t. Σ_{i∈S} x_i + ε ≥ v(S) for every proper non-empty S ⊂ N, Σ_N x_i = v(N).
    For one player, ε* = 0 and x = v(N).

    Returns:
        ``(epsilon, allocation)``: the core is non-empty iff ε* ≤ 0 (numerically, up to a
        tolerance relative to the largest worth); the allocation maps player -> share.

    Raises:
        GameError: As :func:`game_vector`, or when the linear program fails.
    """
    vec = game_vector(v, players)
    n = len(players)
    full = (1 << n) - 1
    if n == 1:
        return 0.0, {players[0]: float(vec[full])}
    member = _membership(n)[1:full]          # proper, non-empty coalitions
    # variables (x_1..x_n, ε); constraints −Σ_S x − ε ≤ −v(S)
    A_ub = -np.hstack([member, np.ones((member.shape[0], 1))])
    b_ub = -vec[1:full]
    A_eq = np.hstack([np.ones((1, n)), np.zeros((1, 1))])
    b_eq = np.array([vec[full]])
    c = np.zeros(n + 1)
    c[-1] = 1.0
    from scipy.optimize import linprog  # loaded on first use (start-up)

    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq,
                  bounds=[(None, None)] * (n + 1), method="highs")
    if res.status != 0:
        raise GameError(f"least-core linear program failed: {res.message}")
    x = res.x[:n]
    return float(res.x[-1]), {p: float(x[k]) for k, p in enumerate(players)}


def core_nonempty(v: Game, players: Sequence[str], *, tol: float = 1e-9,
                  ) -> tuple[bool, dict[str, float] | None]:
    """Whether the core of ``v`` is non-empty, with an allocation in it.

    The core is non-empty iff the least-core ε* ≤ 0 (Bondareva–Shapley); ε* is compared with
    ``tol`` times the largest absolute worth (at least 1) to absorb the LP's rounding.

    Returns:
        ``(True, allocation)`` with an allocation in the core (the least-core allocation the
        LP found), or ``(False, None)``.
    """
    eps, x = least_core(v, players)
    scale = max(1.0, float(np.abs(game_vector(v, players)).max()))
    if eps <= tol * scale:
        return True, x
    return False, None


def shapley(v: Game, players: Sequence[str]) -> dict[str, float]:
    """The exact Shapley value φ_i = Σ_{S∌i} |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S)).

    Cost: n · 2^(n−1) marginal contributions (n ≤ :data:`MAX_PLAYERS`).
    """
    vec = game_vector(v, players)
    n = len(players)
    size = _popcount(n)
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
                       for s in range(n)])
    masks = np.arange(1 << n)
    out = {}
    for k, p in enumerate(players):
        without = masks[(masks >> k & 1) == 0]
        marg = vec[without | (1 << k)] - vec[without]
        out[p] = float((weight[size[without]] * marg).sum())
    return out


def is_superadditive(v: Game, players: Sequence[str], *, tol: float = 1e-9) -> bool:
    """v(S ∪ T) ≥ v(S) + v(T) for all disjoint S, T (up to ``tol`` × the largest worth)."""
    vec = game_vector(v, players)
    n = len(players)
    slack = tol * max(1.0, float(np.abs(vec).max()))
    for s in range(1, 1 << n):
        rest = ((1 << n) - 1) ^ s
        t = rest
        while t:
            if t > s and vec[s | t] < vec[s] + vec[t] - slack:
                return False
            t = (t - 1) & rest
    return True


def is_convex(v: Game, players: Sequence[str], *, tol: float = 1e-9) -> bool:
    """Supermodularity: v(S∪{i}) − v(S) ≤ v(T∪{i}) − v(T) whenever S ⊆ T ⊆ N∖{i}.

    Checked on the equivalent local condition v(S∪{i}) + v(S∪{j}) ≤ v(S∪{i,j}) + v(S) for all S
    and i ≠ j outside S.
    """
    vec = game_vector(v, players)
    n = len(players)
    slack = tol * max(1.0, float(np.abs(vec).max()))
    for s in range(1 << n):
        for i in range(n):
            if s >> i & 1:
                continue
            for j in range(i + 1, n):
                if s >> j & 1:
                    continue
                si, sj = s | 1 << i, s | 1 << j
                if vec[si] + vec[sj] > vec[si | sj] + vec[s] + slack:
                    return False
    return True
