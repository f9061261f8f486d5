"""A finite-difference gradient on a box, one-sided at a bound.

For f: ℝⁿ → ℝ on the box [l, u] and a step h, component k of the gradient at x is the
difference quotient over the part of [x_k − h, x_k + h] inside the box,

.. math::

    g_k = \\frac{f(x + (b_k − x_k) e_k) − f(x − (x_k − a_k) e_k)}{b_k − a_k},\\qquad
    a_k = \\max(x_k − h, l_k),\\; b_k = \\min(x_k + h, u_k),

which is the central difference away from the bounds and a one-sided difference on a bound
(``f(x)``, given, stands for the side that collapses). Accuracy: with f's values known to a
relative precision η (its noise), the error of a central difference is about
h²|f'''|/6 + η|f|/h, of a one-sided one h|f''|/2 + 2η|f|/h.

Step: :data:`FD_STEP` = 10⁻³ for tariff rates. The equilibrium behind a welfare value is solved
to a relative residual of 10⁻¹⁰, so welfare carries noise of order 10⁻¹¹; with h = 10⁻³ the noise
term is about 10⁻⁸ and the truncation term of a central difference about 10⁻⁷ (|f'''| of order
one): a smaller step would turn solver noise into gradient noise. Cost: 2 evaluations per
component (1 on a bound).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from worldorder.errors import NumericsError

__all__ = ["FD_STEP", "fd_gradient"]

#: The default step for tariff rates (see the module docstring).
FD_STEP = 1e-3


def fd_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, *,
                fx: float | None = None, lower: float | np.ndarray = -np.inf,
                upper: float | np.ndarray = np.inf, step: float = FD_STEP) -> np.ndarray:
    """The gradient of ``f`` at ``x`` by finite differences inside the box [lower, upper].

    Args:
        f: The function of a 1-d array.
        x: The point (inside the box).
        fx: f(x) if known (saves an evaluation on a bound).
        lower, upper: The box (scalars or arrays like ``x``).
        step: The step h > 0.

    Returns:
        The gradient, an array like ``x`` (0 where the box has no width).

    Raises:
        NumericsError: A non-positive step, or ``x`` outside the box.
    """
    if not step > 0:
        raise NumericsError(f"the finite-difference step must be positive (got {step})")
    x = np.asarray(x, dtype=float)
    lo_box = np.broadcast_to(np.asarray(lower, dtype=float), x.shape)
    hi_box = np.broadcast_to(np.asarray(upper, dtype=float), x.shape)
    if np.any(x < lo_box) or np.any(x > hi_box):
        raise NumericsError("the finite-difference point lies outside its bounds")
    known = fx

    def at_x() -> float:
        nonlocal known
        if known is None:
            known = float(f(x))
        return known

    g = np.zeros_like(x)
    for k in range(x.size):
        lo, hi = max(x[k] - step, lo_box[k]), min(x[k] + step, hi_box[k])
        if hi <= lo:
            continue
        xl, xh = x.copy(), x.copy()
        xl[k], xh[k] = lo, hi
        fl = at_x() if lo == x[k] else float(f(xl))
        fh = at_x() if hi == x[k] else float(f(xh))
        g[k] = (fh - fl) / (hi - lo)
    return g
