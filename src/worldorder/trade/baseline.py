"""The model baseline: domestic flows, expenditure, output and transfers from data.

Implements the calibration of Ignatenko, Macedoni, Lashkaripour & Simonovska (2025, JIE). With
``X[j, i]`` the international flow from j to i at producer prices, GDP_i and baseline tariffs
``t0[j, i]`` (charged by importer i):

.. math::

    T_i &= (1-ν_i)\\,\\Big(\\sum_{k≠i} X_{ki} - \\sum_{k≠i} (1-ν_k) X_{ik}\\Big)\\\\
    E_i &= GDP_i + T_i, \\qquad X_{ii} = \\max\\big(E_i - \\sum_{k≠i} X_{ki},\\ 0\\big)

then, with the domestic flows in place,

.. math::

    R^0_i = \\sum_j t^0_{ji} X_{ji},\\quad E_i = \\sum_k X_{ki} + R^0_i,\\quad
    Y_i = \\sum_k (1-ν_k) X_{ik} + ν_i \\sum_k X_{ki},\\quad T_i = E_i - Y_i - R^0_i,\\quad
    λ_{ji} = X_{ji}(1+t^0_{ji}) / E_i.

A dataset that gives measured domestic flows (``domestic_flows = true``) uses them as they are.
By construction Σ_i Y_i = Σ_{i,k} X_{ik} and Σ_i T_i = 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = ["Baseline", "baseline_from_flows", "baseline_from_world"]


@dataclass(frozen=True, eq=False)
class Baseline:
    """Baseline arrays of the equilibrium model (all in the dataset's value unit).

    Attributes:
        X: ``(N, N)`` flows at producer prices including domestic flows on the diagonal.
        t0: ``(N, N)`` baseline tariffs, ``t0[j, i]`` charged by importer i.
        nu: ``(N,)`` local-distribution shares used to compute Y.
        E: Expenditure (gross of tariffs), ``Σ_k X[k, i] (1 + t0[k, i])``.
        Y: Income of the economy's factors.
        R0: Baseline tariff revenue.
        T: Transfers received (trade deficits), ``E − Y − R0``.
        lam: Expenditure shares, ``λ[j, i] = X[j, i](1 + t0[j, i]) / E_i``.
        clipped: Codes whose domestic flow had to be clipped at zero (data warning).
    """

    X: np.ndarray
    t0: np.ndarray
    nu: np.ndarray
    E: np.ndarray
    Y: np.ndarray
    R0: np.ndarray
    T: np.ndarray
    lam: np.ndarray
    clipped: tuple[int, ...] = ()

    @property
    def n(self) -> int:
        """Number of economies."""
        return int(self.X.shape[0])

    @cached_property
    def log_lam(self) -> np.ndarray:
        """ln λ (−inf where λ = 0), computed once for the many solves on one baseline."""
        with np.errstate(divide="ignore"):
            out: np.ndarray = np.log(self.lam)
        return out

    @cached_property
    def log1p_t0(self) -> np.ndarray:
        """ln(1 + t0), computed once."""
        out: np.ndarray = np.log1p(self.t0)
        return out


def baseline_from_flows(X: np.ndarray, t0: np.ndarray, nu: np.ndarray,
                        clipped: tuple[int, ...] = ()) -> Baseline:
    """Baseline from a full flow matrix (domestic flows on the diagonal)."""
    X = np.asarray(X, dtype=float)
    t0 = np.asarray(t0, dtype=float)
    nu = np.asarray(nu, dtype=float)
    gross = X * (1.0 + t0)
    R0 = (X * t0).sum(axis=0)
    E = gross.sum(axis=0)
    Y = ((1.0 - nu)[None, :] * X).sum(axis=1) + nu * X.sum(axis=0)
    T = E - Y - R0
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = np.where(E[None, :] > 0, gross / E[None, :], 0.0)
    return Baseline(X=X, t0=t0, nu=nu, E=E, Y=Y, R0=R0, T=T, lam=lam, clipped=clipped)


def baseline_from_world(trade: np.ndarray, gdp: np.ndarray, t0: np.ndarray, nu: np.ndarray,
                        *, domestic_flows: bool = False) -> Baseline:
    """Baseline from international flows and GDP (see the module docstring).

    Args:
        trade: ``(N, N)`` flows, ``trade[j, i]`` from j to i; the diagonal is used only when
            ``domestic_flows`` is true.
        gdp: ``(N,)`` GDP in the same unit as trade.
        t0: ``(N, N)`` baseline tariffs.
        nu: ``(N,)`` local-distribution shares.
        domestic_flows: Use the diagonal of ``trade`` as measured domestic flows.
    """
    X = np.array(trade, dtype=float)
    nu = np.asarray(nu, dtype=float)
    if domestic_flows:
        return baseline_from_flows(X, t0, nu)
    np.fill_diagonal(X, 0.0)
    imports = X.sum(axis=0)
    exports_net = ((1.0 - nu)[None, :] * X).sum(axis=1)
    T = (1.0 - nu) * (imports - exports_net)
    E = np.asarray(gdp, dtype=float) + T
    dom = E - imports
    clipped = tuple(int(k) for k in np.nonzero(dom <= 0)[0])
    np.fill_diagonal(X, np.maximum(dom, 0.0))
    return baseline_from_flows(X, t0, nu, clipped=clipped)
