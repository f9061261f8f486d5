"""Invariants every solved counterfactual must satisfy before it is returned or stored.

The model describes an economy only where (hats are ratios new/old; ``i`` an economy):

* every quantity is finite;
* real income is positive: welfare Ŵ_i > 0 (a welfare change above −100%), and so are the
  price index P̂_i, the wage ŵ_i, employment L̂_i, expenditure E'_i and income Y'_i;
* flows are not negative: X'_ji ≥ 0;
* expenditure shares lie in [0, 1] and each importer's sum to 1: λ'_ji ∈ [0, 1], Σ_j λ'_ji = 1;
* the welfare weight of Ignatenko et al. (2025), δ_i = E_i / (E_i − κ_i (1 − τ_i) Y_i /
  (1 + κ_i)), is finite and at least 1 (its range when 0 ≤ κ(1 − τ)Y/(1 + κ) < E, i.e. when the
  income-tax relief τ_i does not exceed income); Ŵ_i = δ_i Ê_i/P̂_i + (1 − δ_i) ŵ_i L̂_i/P̂_i.

A solver can converge to a root that breaks them: a prohibitive tariff under the
``proportional`` closure (a deficit that is a fixed share of an income that collapses) gave
Malaysia a welfare change of −153%; a 99% import subsidy gave the US −50,755%. Such roots are
refused with :class:`~worldorder.errors.ModelDomainError`, naming the economy and the quantity.

:func:`violations` is a pure function on arrays; :func:`check_equilibrium` applies it to an
:class:`~worldorder.trade.equilibrium.Equilibrium`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from worldorder.errors import ModelDomainError

if TYPE_CHECKING:
    from worldorder.trade.equilibrium import Equilibrium

__all__ = ["SHARE_TOL", "check_equilibrium", "violations"]

SHARE_TOL = 1e-8  # rounding allowed on shares and on δ ≥ 1


def _first_bad(ok: np.ndarray) -> int | None:
    bad = ~np.asarray(ok, dtype=bool)
    return int(np.argmax(bad)) if bad.any() else None


def violations(codes: Sequence[str], *, welfare: np.ndarray, what: np.ndarray,
               Lhat: np.ndarray, Phat: np.ndarray, E1: np.ndarray, Y1: np.ndarray,
               X1: np.ndarray, lam1: np.ndarray, delta: np.ndarray) -> list[str]:
    """The invariants (module docstring) that fail, one message each, naming the first
    economy that breaks it; empty when the equilibrium is valid.

    Args:
        codes: Economy codes, in the order of the arrays.
        welfare, what, Lhat, Phat: ``(N,)`` changes Ŵ, ŵ, L̂, P̂.
        E1, Y1: ``(N,)`` counterfactual expenditure and income.
        X1, lam1: ``(N, N)`` counterfactual flows and expenditure shares (``[j, i]``: from j
            to i).
        delta: ``(N,)`` welfare weights δ.
    """
    out: list[str] = []
    named = {"welfare": welfare, "wage": what, "employment": Lhat, "price index": Phat,
             "expenditure": E1, "income": Y1, "welfare weight": delta}
    for name, arr in named.items():
        k = _first_bad(np.isfinite(arr))
        if k is not None:
            out.append(f"{codes[k]}: {name} is not a finite number ({arr[k]})")
    for name, arr in (("flows", X1), ("expenditure shares", lam1)):
        bad = ~np.isfinite(arr)
        if bad.any():
            j, i = np.argwhere(bad)[0]
            out.append(f"{codes[i]}: {name} from {codes[j]} are not finite")
    if out:
        return out
    k = _first_bad(welfare > 0)
    if k is not None:
        out.append(f"{codes[k]}: real income would be negative (welfare change "
                   f"{100 * (welfare[k] - 1):+,.2f}%, below -100%)")
    for name, arr in (("wage", what), ("employment", Lhat), ("price index", Phat),
                      ("expenditure", E1), ("income", Y1)):
        k = _first_bad(arr > 0)
        if k is not None:
            out.append(f"{codes[k]}: {name} would be {arr[k]:.4g}, not positive")
    if (X1 < 0).any():
        j, i = np.argwhere(X1 < 0)[0]
        out.append(f"{codes[i]}: imports from {codes[j]} would be negative ({X1[j, i]:.4g})")
    low, high = lam1 < -SHARE_TOL, lam1 > 1 + SHARE_TOL
    if (low | high).any():
        j, i = np.argwhere(low | high)[0]
        out.append(f"{codes[i]}: expenditure share on {codes[j]} would be {lam1[j, i]:.4g}, "
                   "outside [0, 1]")
    k = _first_bad(np.abs(lam1.sum(axis=0) - 1.0) <= 1e3 * SHARE_TOL)
    if k is not None:
        out.append(f"{codes[k]}: expenditure shares sum to {lam1[:, k].sum():.6g}, not 1")
    k = _first_bad(delta >= 1.0 - SHARE_TOL)
    if k is not None:
        out.append(f"{codes[k]}: welfare weight δ would be {delta[k]:.4g}, outside its range "
                   "[1, ∞) (consumption net of the disutility of work not positive, or tariff "
                   "revenue relief above income)")
    return out


def check_equilibrium(eq: Equilibrium, codes: Sequence[str]) -> None:
    """Refuse an equilibrium that breaks the invariants.

    Raises:
        ModelDomainError: ``no valid equilibrium: <economy>: <what> (and k more)``.
    """
    found = violations(codes, welfare=eq.welfare, what=eq.what, Lhat=eq.Lhat, Phat=eq.Phat,
                       E1=eq.E1, Y1=eq.Y1, X1=eq.X1, lam1=eq.lam1, delta=eq.delta)
    if found:
        more = f" (and {len(found) - 1} more problems)" if len(found) > 1 else ""
        economy = found[0].split(":", 1)[0]
        raise ModelDomainError(f"the model has no valid equilibrium for this policy: "
                               f"{found[0]}{more}",
                               economy=economy if economy in codes else None)
