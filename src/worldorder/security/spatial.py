"""The spatial demand for military spending (George & Sandler 2018), estimated by 2SLS.

Each ally's military burden responds to its allies' burdens, its own past burden and its
characteristics:

    m_t = ρ W_t m_t + φ m_{t−1} + X_t β + μ + ε_t,                               (1)

with ``W_t`` the row-standardised matrix of alliance ties in year ``t`` (``w_ij > 0`` when ``i``
and ``j`` share a defence pact; ATOP), ``ρ`` the spatial reaction (``ρ < 0``: free-riding on the
allies' spending; ``ρ > 0``: emulation or joint response to a common threat), ``φ`` inertia and
``μ`` ally fixed effects. For given ``X``, ``W`` and ``m_{t−1}`` the system's fixed point is

    m_t = (I − ρW)^{-1} (φ m_{t−1} + Xβ + μ),                                    (2)

the limit of the reaction iterates ``m ← ρWm + c`` when ``|ρ| ‖W‖ < 1``; with ``X`` constant the
long run is ``m* = ((1 − φ)I − ρW)^{-1}(Xβ + μ)``.

**Estimator.** ``W_t m_t`` is endogenous (it contains ``ε_t`` through the others' ``m``). After
removing the fixed effects (within transformation per ally) the model is estimated by two-stage
least squares with the instruments of Kelejian & Prucha (1998): ``[m_{t−1}, X_t, W_tX_t,
W_t²X_t, W_t m_{t−1}]``. Standard errors are clustered by ally (robust to heteroskedasticity and
serial correlation). Own code rather than a library: PySAL's ``spreg`` estimates cross-sections
and static panels with one fixed ``W``, not a dynamic panel whose ``W`` changes with the alliance
each year; 2SLS is a few lines of linear algebra whose every step can be read and tested. The
within transformation with a lagged dependent variable has the Nickell (1981) bias of order
``1/T`` in ``φ`` (small for the 30+ years used here); :func:`simulate_panel` lets the reader check
the estimator on data with known parameters.

``nato_spatial_panel`` builds the panel from the bundled data: ``m`` = SIPRI military
expenditure as % of GDP; ``X`` = log real GDP (SIPRI constant-2023 spending over its share of
GDP) and the threat, log Russian military expenditure (SIPRI, constant 2023 US$; 1993 on, the
first years with Russian figures); the sample: NATO members each year; ``W``: ATOP defence ties.
The variables are this module's choice in the spirit of George & Sandler (2018), not theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.panels import load_panel
from worldorder.errors import SecurityModelError
from worldorder.security.model import SecurityModel, register_model

__all__ = [
    "SpatialDemand",
    "SpatialEstimate",
    "estimate_spatial_panel",
    "nato_spatial_panel",
    "reaction_iterates",
    "row_standardise",
    "simulate_panel",
    "spatial_fixed_point",
    "steady_state",
]


def row_standardise(A: np.ndarray) -> np.ndarray:
    """``w_ij = a_ij / Σ_k a_ik`` (rows without ties stay zero); the diagonal is set to zero."""
    A = np.array(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise SecurityModelError(f"row_standardise: expected a square matrix, got {A.shape}")
    if (A < 0).any():
        raise SecurityModelError("row_standardise: weights must be non-negative")
    np.fill_diagonal(A, 0.0)
    s = A.sum(axis=1, keepdims=True)
    return np.divide(A, s, out=np.zeros_like(A), where=s > 0)


def spatial_fixed_point(W: np.ndarray, rho: float, c: np.ndarray) -> np.ndarray:
    """``m = (I − ρW)^{-1} c``, the fixed point of the reaction function ``m = ρWm + c``.

    Raises:
        SecurityModelError: When ``I − ρW`` is singular.
    """
    n = W.shape[0]
    try:
        return np.linalg.solve(np.eye(n) - rho * W, c)
    except np.linalg.LinAlgError as exc:
        raise SecurityModelError(f"spatial model: I - rho W is singular at rho = {rho}") from exc


def reaction_iterates(W: np.ndarray, rho: float, c: np.ndarray, m0: np.ndarray,
                      steps: int) -> np.ndarray:
    """``m_k = ρ W m_{k−1} + c`` for ``k = 1..steps`` (each ally's best response to the last
    round of the others' spending); returns the last iterate."""
    m = np.asarray(m0, dtype=float)
    for _ in range(steps):
        m = rho * (W @ m) + c
    return m


def steady_state(W: np.ndarray, rho: float, phi: float, xb: np.ndarray) -> np.ndarray:
    """Long-run burden ``m* = ((1 − φ)I − ρW)^{-1} xb`` for constant ``X`` (``xb = Xβ + μ``)."""
    n = W.shape[0]
    return np.linalg.solve((1.0 - phi) * np.eye(n) - rho * W, xb)


def simulate_panel(Ws: Sequence[np.ndarray], X: np.ndarray, beta: np.ndarray, rho: float,
                   phi: float, mu: np.ndarray, sigma: float,
                   rng: np.random.Generator, m0: np.ndarray | None = None) -> np.ndarray:
    """Draw ``m`` (T × n) from (1) with ``ε ~ N(0, σ²)``; ``X`` is (T × n × k), ``Ws`` T
    row-standardised matrices. ``m_{−1}`` is ``m0`` (default: the steady state of ``X_0``)."""
    T, n, _ = X.shape
    if len(Ws) != T:
        raise SecurityModelError(f"simulate_panel: {len(Ws)} weight matrices for {T} years")
    m_prev = (steady_state(Ws[0], rho, phi, X[0] @ beta + mu) if m0 is None
              else np.asarray(m0, dtype=float))
    out = np.empty((T, n))
    for t in range(T):
        c = phi * m_prev + X[t] @ beta + mu + sigma * rng.standard_normal(n)
        out[t] = spatial_fixed_point(Ws[t], rho, c)
        m_prev = out[t]
    return out


@dataclass
class SpatialEstimate:
    """2SLS estimates of (1): coefficients, clustered standard errors and diagnostics."""

    names: list[str]
    coef: np.ndarray
    se: np.ndarray
    n_obs: int
    n_units: int
    n_years: int
    first_stage_f: float
    instruments: list[str]
    fixed_effects: bool
    notes: list[str] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """``term, estimate, std_error, t`` per coefficient."""
        return pd.DataFrame({"term": self.names, "estimate": self.coef, "std_error": self.se,
                             "t": self.coef / self.se})

    def __getitem__(self, name: str) -> float:
        return float(self.coef[self.names.index(name)])


def _within(v: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Subtract each unit's mean (rows of ``v`` grouped by ``units``)."""
    v = np.asarray(v, dtype=float)
    out = v.copy()
    for u in np.unique(units):
        sel = units == u
        out[sel] -= v[sel].mean(axis=0)
    return out


def estimate_spatial_panel(m: np.ndarray, X: np.ndarray, Ws: Sequence[np.ndarray],
                           x_names: Sequence[str] | None = None,
                           fixed_effects: bool = True) -> SpatialEstimate:
    """2SLS of (1) on a (T × n) panel with NaN for missing ally-years.

    ``X`` is (T × n × k); ``Ws[t]`` the ties among all n units in year t (any non-negative
    matrix). In each year the sample is the units with ``m_t``, ``m_{t−1}`` and ``X_t``
    observed; ``W_t`` is restricted to them and row-standardised. Regressors ``[W m, m_{−1},
    X]``, instruments ``[m_{−1}, X, WX, W²X, W m_{−1}]``; clustered (by unit) standard errors
    with the small-sample factor ``G/(G−1)·(N−1)/(N−K)``.
    """
    m = np.asarray(m, dtype=float)
    X = np.asarray(X, dtype=float)
    T, n = m.shape
    if X.shape[:2] != (T, n) or len(Ws) != T:
        raise SecurityModelError(f"spatial estimator: m is {m.shape}, X {X.shape}, "
                                 f"{len(Ws)} weight matrices")
    k = X.shape[2]
    names_x = list(x_names) if x_names is not None else [f"x{j}" for j in range(k)]
    ys, Zs, Hs, units, years = [], [], [], [], []
    for t in range(1, T):
        ok = ~np.isnan(m[t]) & ~np.isnan(m[t - 1]) & ~np.isnan(X[t]).any(axis=1)
        idx = np.flatnonzero(ok)
        if idx.size < 2:
            continue
        W = row_standardise(np.asarray(Ws[t], dtype=float)[np.ix_(idx, idx)])
        mt, ml, Xt = m[t, idx], m[t - 1, idx], X[t][idx]
        WX = W @ Xt
        ys.append(mt)
        Zs.append(np.column_stack([W @ mt, ml, Xt]))
        Hs.append(np.column_stack([ml, Xt, WX, W @ WX, W @ ml]))
        units.append(idx)
        years.append(np.full(idx.size, t))
    if not ys:
        raise SecurityModelError("spatial estimator: no year has two allies with data")
    y = np.concatenate(ys)
    Z = np.vstack(Zs)
    H = np.vstack(Hs)
    u = np.concatenate(units)
    notes = []
    if fixed_effects:
        y, Z, H = _within(y, u), _within(Z, u), _within(H, u)
    else:
        Z = np.column_stack([Z, np.ones(len(y))])
        H = np.column_stack([H, np.ones(len(y))])
    # drop instrument columns without variation or collinear with others
    if np.linalg.matrix_rank(H) < H.shape[1]:
        _, r = np.linalg.qr(H)
        ind = np.abs(np.diag(r)) > 1e-10 * np.abs(np.diag(r)).max()
        H = H[:, ind]
        notes.append(f"dropped {int((~ind).sum())} collinear instrument column(s)")
    N, K = Z.shape
    if H.shape[1] < K:
        raise SecurityModelError("spatial estimator: fewer instruments than regressors "
                                 "(the alliance ties do not vary enough)")
    # first stage and projection
    Pi, *_ = np.linalg.lstsq(H, Z, rcond=None)
    Zh = H @ Pi
    A = Zh.T @ Z
    coef = np.linalg.solve(A, Zh.T @ y)
    resid = y - Z @ coef
    A_inv = np.linalg.inv(Zh.T @ Zh)
    meat = np.zeros((K, K))
    groups = np.unique(u)
    for g in groups:
        sel = u == g
        s = Zh[sel].T @ resid[sel]
        meat += np.outer(s, s)
    G = groups.size
    scale = (G / (G - 1)) * ((N - 1) / (N - K)) if G > 1 and N > K else 1.0
    V = scale * A_inv @ meat @ A_inv
    se = np.sqrt(np.diag(V))
    # first-stage F of the excluded instruments for W m
    wm = Z[:, 0]
    exog = Z[:, 1:]
    b_r, *_ = np.linalg.lstsq(exog, wm, rcond=None)
    b_u, *_ = np.linalg.lstsq(H, wm, rcond=None)
    rss_r = float(np.sum((wm - exog @ b_r) ** 2))
    rss_u = float(np.sum((wm - H @ b_u) ** 2))
    q_ex = max(H.shape[1] - exog.shape[1], 1)
    f = ((rss_r - rss_u) / q_ex) / (rss_u / max(N - H.shape[1], 1)) if rss_u > 0 else np.inf
    names = ["rho", "phi", *names_x] + ([] if fixed_effects else ["const"])
    inst = ["m_lag", *names_x, *(f"W.{x}" for x in names_x), *(f"W2.{x}" for x in names_x),
            "W.m_lag"]
    return SpatialEstimate(names=names, coef=coef, se=se, n_obs=N, n_units=G,
                           n_years=len(np.unique(np.concatenate(years))),
                           first_stage_f=float(f), instruments=inst,
                           fixed_effects=fixed_effects, notes=notes)


def nato_spatial_panel(first: int = 1993, last: int = 2024,
                       weights: str = "alliance") -> tuple[np.ndarray, np.ndarray,
                                                           list[np.ndarray], list[str],
                                                           list[int]]:
    """``(m, X, Ws, codes, years)`` for NATO members, from the bundled panels.

    ``m``: military expenditure, % of GDP (SIPRI); ``X``: log real GDP (constant 2023 US$
    m) and log Russian military expenditure (constant 2023 US$ m); a member enters in its
    accession year. ``weights``: ``'alliance'`` (1 for a defence tie, ATOP) or
    ``'alliance-gdp'`` (the partner's real GDP for a tie: bigger allies' spending weighs more).
    """
    if weights not in ("alliance", "alliance-gdp"):
        raise SecurityModelError(f"spatial model: weights must be 'alliance' or "
                                 f"'alliance-gdp', got {weights!r}")
    nato = load_panel("nato")
    codes = sorted(nato["iso3"])
    acc = nato.set_index("iso3")["accession_year"]
    years = list(range(first - 1, last + 1))
    mx = load_panel("milex", years=(first - 1, last))
    mx = mx.assign(gdp_real=mx["milex_const2023_usd_m"] / mx["milex_share_gdp"].where(
        mx["milex_share_gdp"] > 0))
    piv = mx.pivot_table(index="year", columns="iso3", values="milex_share_gdp")
    gdp = mx.pivot_table(index="year", columns="iso3", values="gdp_real")
    rus = mx[mx["iso3"] == "RUS"].set_index("year")["milex_const2023_usd_m"]
    T, n = len(years), len(codes)
    m = np.full((T, n), np.nan)
    X = np.full((T, n, 2), np.nan)
    for t, y in enumerate(years):
        for i, c in enumerate(codes):
            if acc[c] > y:
                continue
            if c in piv.columns and y in piv.index:
                m[t, i] = 100.0 * piv.at[y, c]
            if c in gdp.columns and y in gdp.index and gdp.at[y, c] > 0:
                X[t, i, 0] = np.log(gdp.at[y, c])
            if y in rus.index and rus[y] > 0:
                X[t, i, 1] = np.log(rus[y])
    al = load_panel("alliances", years=(first - 1, last))
    al = al[(al["defense"] == 1) & al["iso3_a"].isin(codes) & al["iso3_b"].isin(codes)]
    pos = {c: i for i, c in enumerate(codes)}
    Ws = []
    for t, y in enumerate(years):
        A = np.zeros((n, n))
        part = al[al["year"] == y]
        ia = part["iso3_a"].map(pos).to_numpy()
        ib = part["iso3_b"].map(pos).to_numpy()
        A[ia, ib] = 1.0
        if weights == "alliance-gdp":
            A = A * np.nan_to_num(np.exp(X[t, :, 0]))[None, :]
        Ws.append(A)
    m[np.isnan(X).any(axis=2)] = np.nan
    return m, X, Ws, codes, years


@register_model
class SpatialDemand(SecurityModel):
    """The spatial demand model (1), estimated on the NATO panel by 2SLS.

    Parameters: ``first``/``last`` (years of the estimation sample; 1993 is the first year with
    Russian figures), ``weights`` (``'alliance'`` or ``'alliance-gdp'``), ``fixed_effects``.
    ``fit()`` returns a :class:`SpatialEstimate`.
    """

    name: ClassVar[str] = "spatial-demand"
    summary: ClassVar[str] = "m = rho W m + phi m(-1) + X beta: allies react to allies (2SLS)"
    classifier: ClassVar[dict[str, Any]] = {"question": "burden-sharing", "kind": "econometric",
                                            "inputs": ["milex", "alliances", "nato"]}
    references: ClassVar[tuple[str, ...]] = (
        "George & Sandler (2018), Demand for Military Spending in NATO, 1968-2015: A Spatial "
        "Panel Approach, European Journal of Political Economy 53: 222-236",
        "Kelejian & Prucha (1998), A Generalized Spatial Two-Stage Least Squares Procedure, "
        "Journal of Real Estate Finance and Economics 17(1): 99-121",
        "Nickell (1981), Biases in Dynamic Models with Fixed Effects, Econometrica 49(6)",
    )
    defaults: ClassVar[dict[str, Any]] = {"first": 1993, "last": 2024, "weights": "alliance",
                                          "fixed_effects": True}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "first": (1950, 2024), "last": (1950, 2024)}

    def fit(self) -> SpatialEstimate:
        m, X, Ws, _, _ = nato_spatial_panel(int(self.params["first"]), int(self.params["last"]),
                                            self.params["weights"])
        return estimate_spatial_panel(m, X, Ws, ["log_gdp", "log_threat"],
                                      bool(self.params["fixed_effects"]))
