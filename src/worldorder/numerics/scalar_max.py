"""A bounded scalar maximiser for functions that need not be concave: grid, then Brent.

Problem: find

.. math:: x^* = \\arg\\max_{x ∈ [a, b]} f(x)

for a function f that is costly (every value may be a general-equilibrium solve), may have
several local maxima (welfare in a tariff is not concave with scale economies, labour supply or
fixed deficits), and may be undefined on part of the interval (no equilibrium: f = −∞, never
chosen).

Algorithm:

1. **Grid.** f is evaluated on the grid of :func:`search_grid`: ``points`` equally spaced values
   of [a, min(b, a + s)] (s = ``scale``, the width where the answer is expected: 1 = a 100%
   tariff), continued, when b > a + s, by a geometric sequence a + s·q^j (q = 10^(1/d), d =
   ``per_decade`` points per decade) up to b. A wide bound therefore costs d extra evaluations
   per decade instead of diluting the grid: with b = 100 and d = 3, six.
2. **Brent.** Let x_k be the best grid point (the lowest one if several tie). Brent's method for
   a bounded minimum (Brent 1973, *Algorithms for Minimization without Derivatives*, ch. 5:
   golden-section steps safeguarding parabolic interpolation; SciPy's ``minimize_scalar``
   ``method="bounded"``) refines −f on the bracket [x_{k−1}, x_{k+1}] to an absolute tolerance
   ``xatol`` on x.
   **Edges of the domain.** Where f is finite at one grid point and undefined at the next (the
   edge of the region where an equilibrium exists lies between them) and f rises on the grid
   towards it, the edge is located by bisection to ``xatol``. When f at the last defined point
   beats every grid point (f rises up to where the model breaks: under fixed deficits a
   tariff's welfare can climb until the equilibrium ceases to exist), Brent refines the
   bracket between that point and the grid point before it instead.
3. **Answer.** Brent's point if it is at least as good as the best grid (or edge) point, else
   that point. With ``memo=True`` every value is kept (no x is evaluated twice) and the answer
   is the best point evaluated, ties to the lowest x. Either way it is a global maximum on the
   grid's resolution and a local one to ``xatol``: a narrower peak between two grid points can
   be missed (use more ``points``).

The result says whether the answer sits at a bound (``at_upper``: b − x* ≤ ``bound_tol``;
``at_lower`` likewise) or at an edge of the domain (``at_edge``: f is undefined within
``bound_tol`` beyond x*, so the edge, not an interior optimum, sets the answer), how many
evaluations were made, and whether Brent met its tolerance within ``maxiter`` iterations
(``converged``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from worldorder.errors import ConvergenceError, NumericsError

__all__ = ["ScalarMaximum", "maximise_scalar", "search_grid"]


@dataclass(frozen=True)
class ScalarMaximum:
    """The result of :func:`maximise_scalar`.

    Attributes:
        x: The maximiser x*.
        fx: f(x*).
        at_lower, at_upper: Whether x* sits on the lower or the upper bound (within
            ``bound_tol``): the constraint binds, the unconstrained optimum may lie beyond.
        evaluations: Evaluations of f (grid and Brent).
        converged: Whether Brent met ``xatol`` within ``maxiter`` iterations.
        message: Brent's message.
        lower, upper: The interval searched.
        at_edge: Whether x* is the last defined point before a region where f is undefined
            (no equilibrium): f rose up to the edge of the model's domain.
    """

    x: float
    fx: float
    at_lower: bool
    at_upper: bool
    evaluations: int
    converged: bool
    message: str
    lower: float
    upper: float
    at_edge: bool = False


def _best_edge(value: Callable[[float], float], grid: np.ndarray, values: np.ndarray,
               tol: float) -> tuple[float, float, float] | None:
    """The best last-defined point next to an undefined region, by bisection between grid
    neighbours one of which is defined, where f rises on the grid towards the edge:
    ``(x, f(x), the defined grid neighbour)``."""
    best: tuple[float, float, float] | None = None
    defined = np.isfinite(values)
    for j in np.flatnonzero(defined[:-1] != defined[1:]):
        inside, outside = (j, j + 1) if defined[j] else (j + 1, j)
        before = 2 * inside - outside  # the grid point before ``inside``, away from the edge
        if 0 <= before < len(values) and values[before] > values[inside]:
            continue  # f falls towards the edge
        a, fa, b = float(grid[inside]), float(values[inside]), float(grid[outside])
        while abs(b - a) > tol:
            m = 0.5 * (a + b)
            fm = value(m)
            if math.isfinite(fm):
                a, fa = m, fm
            else:
                b = m
        if best is None or fa > best[1]:
            best = (a, fa, float(grid[inside]))
    return best


def search_grid(lower: float, upper: float, points: int, *, scale: float = 1.0,
                per_decade: int = 3) -> np.ndarray:
    """The grid of step 1 of :func:`maximise_scalar`.

    ``points`` equally spaced values of [lower, min(upper, lower + scale)], then, when
    upper > lower + scale, lower + scale·q^j for j = 1, 2, … (q = 10^(1/per_decade)) while below
    ``upper``, and ``upper`` itself. With upper ≤ lower + scale it is ``np.linspace(lower,
    upper, points)``.
    """
    if upper - lower <= scale:
        return np.linspace(lower, upper, points)
    head = np.linspace(lower, lower + scale, points)
    q = 10.0 ** (1.0 / per_decade)
    steps = math.ceil(math.log((upper - lower) / scale) / math.log(q) - 1e-9)
    tail = lower + scale * q ** np.arange(1, steps)
    return np.concatenate([head, tail[tail < upper], [upper]])


def maximise_scalar(f: Callable[[float], float], lower: float, upper: float, *,
                    points: int = 31, xatol: float = 1e-7, scale: float = 1.0,
                    per_decade: int = 3, maxiter: int = 500, bound_tol: float | None = None,
                    memo: bool = False, what: str = "x") -> ScalarMaximum:
    """Maximise ``f`` on [lower, upper]: a grid scan, then Brent on the best bracket.

    Args:
        f: The function (non-finite values count as −∞).
        lower, upper: The interval (finite, lower < upper).
        points: Grid points on [lower, lower + scale] (at least 2).
        xatol: Brent's absolute tolerance on x.
        scale: Width of the equally spaced part of the grid.
        per_decade: Geometric grid points per decade beyond ``lower + scale``.
        maxiter: Brent's iteration limit.
        bound_tol: Distance from a bound within which the answer is "at" it (default
            max(10 · xatol, 1e-4 · min(upper − lower, scale))).
        memo: Keep every value (never evaluate an x twice; the answer is the best point
            seen).
        what: What is searched over, for the error message.

    Returns:
        A :class:`ScalarMaximum`.

    Raises:
        NumericsError: A non-finite or empty interval, fewer than 2 points, a bad tolerance.
        ConvergenceError: ``f`` is non-finite at every grid point (e.g. no equilibrium).
    """
    lower, upper = float(lower), float(upper)
    if not (math.isfinite(lower) and math.isfinite(upper) and lower < upper):
        raise NumericsError(f"{what}: the search interval [{lower:g}, {upper:g}] must be "
                            "finite and non-empty")
    if points < 2 or per_decade < 1 or not (xatol > 0 and scale > 0):
        raise NumericsError(f"{what}: need points >= 2, per_decade >= 1, xatol > 0 and "
                            f"scale > 0 (got {points}, {per_decade}, {xatol}, {scale})")
    tol = max(10 * xatol, 1e-4 * min(upper - lower, scale)) if bound_tol is None else bound_tol
    seen: dict[float, float] = {}
    calls = 0

    def value(x: float) -> float:
        nonlocal calls
        x = float(x)
        if not memo or x not in seen:
            calls += 1
            v = float(f(x))
            seen[x] = v if math.isfinite(v) else -math.inf
        return seen[x]

    grid = search_grid(lower, upper, int(points), scale=scale, per_decade=per_decade)
    values = np.array([value(x) for x in grid])
    if not np.isfinite(values).any():
        raise ConvergenceError(f"no equilibrium for any value of {what} in "
                               f"[{lower:g}, {upper:g}]")
    k = int(np.argmax(values))
    lo, hi = float(grid[max(k - 1, 0)]), float(grid[min(k + 1, len(grid) - 1)])
    best_x, best_f = float(grid[k]), float(values[k])
    edge = _best_edge(value, grid, values, xatol) if not np.isfinite(values).all() else None
    if edge is not None and edge[1] > best_f:  # f rises up to the edge of its domain
        best_x, best_f = edge[0], edge[1]
        lo, hi = min(edge[0], edge[2]), max(edge[0], edge[2])
    from scipy.optimize import minimize_scalar  # loaded on first use (start-up)

    with np.errstate(invalid="ignore", over="ignore"):  # parabolic steps through −∞ values
        res = minimize_scalar(lambda x: -value(x), bounds=(lo, hi), method="bounded",
                              options={"xatol": xatol, "maxiter": maxiter})
    if memo:
        x = max(seen, key=lambda z: (seen[z], -z))
        fx = seen[x]
    elif -float(res.fun) >= best_f:
        x, fx = float(res.x), -float(res.fun)
    else:
        x, fx = best_x, best_f
    at_edge = edge is not None and abs(x - edge[0]) <= tol and fx >= edge[1]
    return ScalarMaximum(x=x, fx=fx, at_lower=x - lower <= tol, at_upper=upper - x <= tol,
                         evaluations=calls, converged=bool(res.success),
                         message=str(res.message), lower=lower, upper=upper, at_edge=at_edge)
