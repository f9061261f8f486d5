"""The joint-product model of alliances (Sandler 1977; Sandler & Hartley 1995, 2001).

Defence spending ``m_i`` produces two goods at once: alliance-wide deterrence ``Q = Σ_j m_j``
(public) and ally-specific benefits ``m_i`` itself (private: territorial defence, domestic
security, overseas interests). With

    U_i = c_i ln(I_i − m_i) + a_i ln Q + b_i ln m_i,   a_i, b_i > 0,  c_i = 1 − a_i − b_i > 0,

the first-order condition ``a_i/Q + b_i/m_i = c_i/(I_i − m_i)`` gives, for a given total ``Q``,
the replacement function (the root in (0, I_i) of a quadratic)

    r_i(Q) = [ L_i + sqrt(L_i² + 4 a_i b_i Q I_i) ] / (2 a_i),   L_i = a_i I_i − (1 − a_i) Q,

decreasing in ``Q``; the Nash equilibrium solves ``Σ r_i(Q) = Q`` (one root). With ``b = 0`` the
model is Olson–Zeckhauser; the larger the private share ``b/(a + b)``, the weaker free-riding and
the closer spending is to proportional to income. Symmetric closed form (n allies):

    m = (a/n + b) I / (1 − a + a/n).

A patron's best response to the others' total ``Q_{−P}`` solves
``a/(m + Q_{−P}) + b/m = c/(I − m)`` for ``m`` in (0, I) (Brent).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from worldorder.errors import SecurityModelError
from worldorder.security.model import SecurityModel, register_model

__all__ = ["JointProduct", "jp_best_response", "jp_nash", "jp_replacement", "jp_symmetric"]


def _check(income: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    if (income <= 0).any() or np.isnan(income).any():
        raise SecurityModelError("model 'joint-product': incomes must be positive")
    if (a <= 0).any() or (b < 0).any() or ((a + b) >= 1).any():
        raise SecurityModelError("model 'joint-product': need a > 0, b >= 0 and a + b < 1")


def jp_replacement(q: float, income: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each ally's spending ``r_i(Q)`` consistent with a total ``Q`` (formula above)."""
    I_ = np.asarray(income, dtype=float)
    A = np.asarray(a, dtype=float)
    B = np.asarray(b, dtype=float)
    lin = A * I_ - (1.0 - A) * q
    disc = lin * lin + 4.0 * A * B * q * I_
    r = (lin + np.sqrt(disc)) / (2.0 * A)
    return np.clip(r, 0.0, I_)


def jp_nash(income: np.ndarray, a: float | np.ndarray,
            b: float | np.ndarray) -> tuple[np.ndarray, float]:
    """Nash spending ``m`` and the total ``Q`` of the joint-product game."""
    I_ = np.asarray(income, dtype=float)
    A = np.broadcast_to(np.asarray(a, dtype=float), I_.shape)
    B = np.broadcast_to(np.asarray(b, dtype=float), I_.shape)
    _check(I_, A, B)
    hi = float(I_.sum())

    def excess(q: float) -> float:
        return float(jp_replacement(q, I_, A, B).sum() - q)

    from scipy.optimize import brentq  # loaded on first use (start-up)

    q = brentq(excess, 1e-300, hi, xtol=1e-14 * hi, rtol=1e-15, maxiter=500)
    m = jp_replacement(q, I_, A, B)
    return m, float(m.sum())


def jp_symmetric(n: int, income: float, a: float, b: float) -> tuple[float, float]:
    """Closed form of the symmetric game: ``m = (a/n + b) I/(1 − a + a/n)``, ``Q = n m``."""
    if n < 1:
        raise SecurityModelError("model 'joint-product': need at least one ally")
    _check(np.array([income]), np.array([a]), np.array([b]))
    m = (a / n + b) * income / (1.0 - a + a / n)
    return m, n * m


def jp_best_response(income: float, a: float, b: float, others: float) -> float:
    """The spending ``m`` in (0, I) with ``a/(m + Q_{−i}) + b/m = (1 − a − b)/(I − m)``."""
    _check(np.array([income]), np.array([a]), np.array([b]))
    c = 1.0 - a - b
    if b == 0:
        return float(max(0.0, a * income - (1.0 - a) * others))

    def foc(m: float) -> float:
        return a / (m + others) + b / m - c / (income - m)

    from scipy.optimize import brentq  # loaded on first use (start-up)

    eps = income * 1e-15
    return float(brentq(foc, eps, income - eps, xtol=1e-14 * income, maxiter=500))


@register_model
class JointProduct(SecurityModel):
    """Joint products: defence yields alliance deterrence and private, ally-specific benefits.

    Parameters: ``private_share`` = ``b/(a + b)`` (0: the pure public good of Olson–Zeckhauser;
    1: a purely private good; default 0.5, between the estimates surveyed by Sandler & Hartley
    2001) and ``a_plus_b`` (the budget weight of defence; None = calibrated so that the
    patron's observed spending is its best response).
    """

    name: ClassVar[str] = "joint-product"
    summary: ClassVar[str] = "defence as public deterrence plus private benefits"
    classifier: ClassVar[dict[str, Any]] = {"question": "burden-sharing", "kind": "game",
                                            "inputs": ["milex"]}
    references: ClassVar[tuple[str, ...]] = (
        "Sandler (1977), Impurity of Defense: An Application to the Economics of Alliances, "
        "Kyklos 30(3): 443-460",
        "Sandler & Hartley (1995), The Economics of Defense, Cambridge University Press, ch. 2",
        "Sandler & Hartley (2001), Economics of Alliances: The Lessons for Collective Action, "
        "Journal of Economic Literature 39(3): 869-896",
    )
    defaults: ClassVar[dict[str, Any]] = {"private_share": 0.5, "a_plus_b": None}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "private_share": (0.0, 1.0 - 1e-9), "a_plus_b": (1e-9, 1 - 1e-9)}

    def weights(self, a_plus_b: float) -> tuple[float, float]:
        k = float(self.params["private_share"])
        return (1.0 - k) * a_plus_b, k * a_plus_b

    def calibrate(self, spending: float, income: float, others: float) -> float:
        """``a + b`` such that ``spending`` is the best response to ``others`` (FOC solved
        for the scale, with the private share fixed): ``s = (1−k)/(m+Q) + k/m`` and
        ``a + b = 1 / (1 + (I − m) s)``."""
        if not 0 < spending < income:
            raise SecurityModelError(f"model 'joint-product': spending {spending} must lie "
                                     f"between 0 and income {income}")
        k = float(self.params["private_share"])
        s = (1.0 - k) / (spending + others) + k / spending
        return 1.0 / (1.0 + (income - spending) * s)

    def nash(self, income: np.ndarray) -> tuple[np.ndarray, float]:
        if self.params["a_plus_b"] is None:
            raise SecurityModelError("model 'joint-product': set a_plus_b to solve the game")
        a, b = self.weights(float(self.params["a_plus_b"]))
        return jp_nash(income, a, b)

    def patron_response(self, income: float, spending: float, others_before: float,
                        others_after: float) -> dict[str, float]:
        """The patron's best response after the allies' total moves, and its saving."""
        ab = self.params["a_plus_b"]
        if ab is None:
            ab = self.calibrate(spending, income, others_before)
        a, b = self.weights(float(ab))
        before = jp_best_response(income, a, b, others_before)
        after = jp_best_response(income, a, b, others_after)
        return {"a": a, "b": b, "before": before, "after": after, "saving": before - after}
