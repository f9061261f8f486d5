"""The general-equilibrium core: exact-hat solution of a one-sector quantitative trade model.

Model: Ignatenko, Macedoni, Lashkaripour & Simonovska (2025), "Making America Great Again? The
Economic Impacts of Liberation Day Tariffs", Journal of International Economics; with the
Eaton–Kortum/Krugman (ν = 0, φ = 1) and Armington / Dekle–Eaton–Kortum (2008) special cases.

Notation: ``X[j, i]`` flow from exporter j to importer i at producer prices; ``t0``, ``t1``
baseline and new tariffs of importer i on j; τ̂ = (1+t1)/(1+t0); d̂ an iceberg trade-cost change
(non-revenue). Unknowns: wage ŵ_i, employment L̂_i (expenditure Ê_i is eliminated in closed form).

.. math::

    A_{ji} &= λ_{ji}\\,(ŵ_j L̂_j^{-ψ_j})^{-ε_i}\\,τ̂_{ji}^{-ε_i φ_i}\\,d̂_{ji}^{-ε_i},
    \\qquad λ'_{ji} = A_{ji} / \\textstyle\\sum_k A_{ki}\\\\
    P̂_i &= (Ê_i/ŵ_i)^{1-φ_i} \\big(\\textstyle\\sum_k A_{ki}\\big)^{-1/ε_i}\\\\
    X'_{ji} &= λ'_{ji} Ê_i E_i / (1+t^1_{ji}),\\quad R'_i = \\textstyle\\sum_j t^1_{ji} X'_{ji},
    \\quad Y'_i = ŵ_i L̂_i Y_i\\\\
    \\text{goods markets: } Y'_i &= \\textstyle\\sum_k (1-ν_k) X'_{ik} + ν_i \\sum_k X'_{ki}\\\\
    \\text{budgets: } Ê_i E_i &= Y'_i + R'_i + T'_i,\\qquad
    T'_i = T_i \\textstyle\\sum_k Y'_k / \\sum_k Y_k \\ \\text{(fixed transfers)}\\\\
    \\text{labour supply: } L̂_i &= (s_i ŵ_i / P̂_i)^{κ_i},\\quad
    s_i = 1/(1 - (R'_i - Π R^0_i)/Y'_i) \\text{ (income-tax relief) or } 1 \\text{ (lump sum)}\\\\
    \\text{numeraire: } & \\textstyle\\sum_i E_i (P̂_i - 1) = 0
    \\ \\text{(replaces one goods-market equation; Walras' law)}\\\\
    \\text{welfare: } Ŵ_i &= δ_i Ê_i/P̂_i + (1-δ_i) ŵ_i L̂_i / P̂_i,\\quad
    δ_i = E_i / (E_i - κ_i(1-τ_i) Y_i / (1+κ_i)),\\ τ_i = (R'_i - Π R^0_i)/Y'_i.

Π = Σ_i E_i P̂_i / Σ_i E_i is the world price index. It equals 1 under the default numeraire, so
the equations are those of Ignatenko et al.; deflating the baseline revenue R^0 by Π keeps the
model homogeneous of degree zero in nominal values, so that real outcomes do not depend on the
numeraire (a tested property).

Solution method: because R'_i = g_i Ê_i E_i with g_i = Σ_j λ'_{ji} t^1_{ji}/(1+t^1_{ji}), the budget
gives Ê_i E_i = (Y'_i + T'_i)/(1 − g_i) in closed form. The remaining 2N equations in
z = (ln ŵ, ln L̂) are solved by Newton's method with an analytic Jacobian (assembled with O(N³)
matrix products) and an Armijo backtracking line search on ‖F‖². Unknowns are logarithms, so wages,
prices and employment stay positive. If Newton fails from the baseline, the shock is applied in
steps (homotopy continuation). Convergence: max relative residual ≤ ``tol`` (default 1e-10);
otherwise :class:`~worldorder.errors.ConvergenceError` with diagnostics.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.linalg as sla

from worldorder.errors import ConvergenceError
from worldorder.trade.baseline import Baseline
from worldorder.trade.params import ModelParams

__all__ = ["Equilibrium", "solve_equilibrium"]

Transfers = Literal["fixed", "proportional", "none"]


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """A counterfactual equilibrium, in changes (hats) and levels.

    Attributes:
        what, Lhat, Ehat, Phat: Wage, employment, expenditure and price-index changes.
        welfare: Ŵ_i (1.0 = unchanged).
        X1: Counterfactual flows at producer prices (domestic on the diagonal).
        E1, Y1, R1, T1: Counterfactual expenditure, income, tariff revenue, transfers.
        lam1: Counterfactual expenditure shares.
        t1: Tariffs applied.
        tau: Income-tax relief rate (R' − R0)/Y' (0 under lump sum).
        delta: Welfare weight δ_i.
        iterations, residual, seconds: Solver statistics.
        homotopy_steps: Continuation steps used (1 = direct Newton).
    """

    what: np.ndarray
    Lhat: np.ndarray
    Ehat: np.ndarray
    Phat: np.ndarray
    welfare: np.ndarray
    X1: np.ndarray
    E1: np.ndarray
    Y1: np.ndarray
    R1: np.ndarray
    T1: np.ndarray
    lam1: np.ndarray
    t1: np.ndarray
    tau: np.ndarray
    delta: np.ndarray
    iterations: int
    residual: float
    seconds: float
    homotopy_steps: int = 1
    z: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def real_wage(self) -> np.ndarray:
        """ŵ_i / P̂_i."""
        out: np.ndarray = self.what / self.Phat
        return out


class _System:
    """Residuals and analytic Jacobian of the equilibrium in z = (ln ŵ, ln L̂)."""

    def __init__(self, base: Baseline, p: ModelParams, t1: np.ndarray,
                 dhat: np.ndarray | None, transfers: Transfers,
                 transfer_change: np.ndarray | None = None) -> None:
        n = base.n
        self.n = n
        self.base = base
        self.eps, self.kappa, self.psi = p.epsilon, p.kappa, p.psi
        self.nu, self.phi = p.nu, p.phi
        self.income_tax = p.revenue == "income_tax"
        self.numeraire = p.numeraire
        self.transfers = transfers
        self.t1 = t1
        with np.errstate(divide="ignore"):
            loglam = np.log(base.lam)
        log_tau_hat = np.log1p(t1) - np.log1p(base.t0)
        logB = -(self.eps * self.phi)[None, :] * log_tau_hat
        if dhat is not None:
            logB = logB - self.eps[None, :] * np.log(dhat)
        self.logL0 = np.where(base.lam > 0, loglam + logB, -np.inf)
        self.q = t1 / (1.0 + t1)
        self.mq = 1.0 / (1.0 + t1)
        self.sumY = base.Y.sum()
        self.sumE = base.E.sum()
        self.ref = int(np.argmax(base.E))
        self.T_target = base.T if transfers != "none" else np.zeros(n)
        if transfer_change is not None:  # e.g. a realised investment pledge, in baseline units
            self.T_target = self.T_target + transfer_change

    # -------------------------------------------------------------------------------------
    def state(self, z: np.ndarray) -> dict[str, np.ndarray]:
        """All model quantities at z (no derivatives).

        Trial points of the line search may lie where no equilibrium quantity exists (e.g.
        negative expenditure); they give non-finite residuals, which the search rejects.
        """
        with np.errstate(all="ignore"):
            return self._state(z)

    def _state(self, z: np.ndarray) -> dict[str, np.ndarray]:
        n, b = self.n, self.base
        x, ll = z[:n], z[n:]
        c = x - self.psi * ll
        logA = self.logL0 - self.eps[None, :] * c[:, None]
        cmax = logA.max(axis=0)
        A = np.exp(logA - cmax[None, :])
        S = A.sum(axis=0)
        Lp = A / S[None, :]
        logS = np.log(S) + cmax
        eyl = np.exp(x + ll)
        Yp = eyl * b.Y
        W = Yp.sum() / self.sumY
        if self.transfers == "proportional":
            # T'_i = k Y'_i (1 + T_i/Y_i) − Y'_i, k such that Σ_i T'_i = 0 (Walras' law)
            Q = eyl * (b.Y + self.T_target)
            k = Yp.sum() / Q.sum()
            Tr = k * Q - Yp
        else:
            Q, k = eyl, 1.0
            Tr = self.T_target * W
        g = (Lp * self.q).sum(axis=0)
        Ep = (Yp + Tr) / (1.0 - g)
        H = Lp * self.mq
        v = (1.0 - self.nu) * Ep
        D = H @ v + self.nu * (Yp + Tr) - Yp
        lnEhat = np.log(Ep / b.E)
        lnP = (1.0 - self.phi) * (lnEhat - x) - logS / self.eps
        R = g * Ep
        Pi = (b.E * np.exp(lnP)).sum() / self.sumE  # world price index, 1 under its numeraire
        tau = (R - b.R0 * Pi) / Yp if self.income_tax else np.zeros(n)
        lns = -np.log1p(-tau) if self.income_tax else np.zeros(n)
        G = ll - self.kappa * (lns + x - lnP)
        F1 = D / Yp
        F1[self.ref] = Pi - 1.0 if self.numeraire == "price_index" else W - 1.0
        return {"x": x, "l": ll, "Lp": Lp, "Yp": Yp, "W": W, "Tr": Tr, "g": g, "Ep": Ep,
                "H": H, "v": v, "D": D, "lnP": lnP, "R": R, "tau": tau, "G": G,
                "F": np.concatenate([F1, G]), "eyl": eyl, "Pi": np.array(Pi), "Q": Q,
                "k": np.array(k)}

    def residual(self, z: np.ndarray) -> np.ndarray:
        """F(z): relative goods-market excess demand (numeraire in one row), labour supply."""
        return self.state(z)["F"]

    def jacobian(self, s: dict[str, np.ndarray]) -> np.ndarray:
        """Analytic dF/dz at the state ``s``.

        Every block is written as a derivative with respect to x = ln ŵ and l = ln L̂. Through
        the unit cost c = x − ψ l, ∂/∂l of a cost-driven term is −ψ times its ∂/∂x. With
        ``Lp`` = λ': ∂ln S_i/∂c_m = −ε_i λ'_{mi}, ∂g_i/∂c_m = −ε_i λ'_{mi}(q_{mi} − g_i),
        and Σ_k ∂H_{ik}/∂c_m v_k = −δ_{im} Σ_k ε_k H_{ik} v_k + Σ_k ε_k H_{ik} λ'_{mk} v_k with
        H = λ'/(1+t1) and v = (1−ν)E'. Income and transfers are diagonal plus rank one, so only
        two N×N×N matrix products are needed.
        """
        n, b = self.n, self.base
        eps, psi, nu, phi, kappa = self.eps, self.psi, self.nu, self.phi, self.kappa
        Lp, Yp, g, Ep, H, v, D = s["Lp"], s["Yp"], s["g"], s["Ep"], s["H"], s["v"], s["D"]
        diag = np.diag_indices(n)
        LpT = Lp.T
        one_g = 1.0 - g
        Mg = -(eps[:, None]) * (Lp * (self.q - g[None, :])).T  # dg/dc
        # d(Y' + T')/dx = d(Y' + T')/dl = dYT
        if self.transfers == "proportional":
            Q, k = s["Q"], float(s["k"])
            dYT = np.outer(Q, (Yp - k * Q) / Q.sum())
            dYT[diag] += k * Q
        else:
            dYT = np.outer(self.T_target, Yp / self.sumY)
            dYT[diag] += Yp
        U = dYT / one_g[:, None]
        V = (Ep / one_g)[:, None] * Mg
        dEp_x = U + V
        dEp_l = U - V * psi[None, :]
        H1 = H * (1.0 - nu)[None, :]
        ev = eps * v
        K = (H * ev[None, :]) @ LpT
        K[diag] -= H @ ev
        H1U = H1 @ U
        H1V = H1 @ V
        common = H1U + nu[:, None] * dYT
        common[diag] -= Yp
        dD_x = K + common + H1V
        dD_l = common - (K + H1V) * psi[None, :]
        r = D / Yp
        J = np.empty((2 * n, 2 * n))
        J[:n, :n] = dD_x / Yp[:, None]
        J[:n, n:] = dD_l / Yp[:, None]
        J[:n, :n][diag] -= r
        J[:n, n:][diag] -= r
        one_phi = (1.0 - phi)[:, None]
        dlnP_x = one_phi * (dEp_x / Ep[:, None]) + LpT
        dlnP_x[diag] -= 1.0 - phi
        dlnP_l = one_phi * (dEp_l / Ep[:, None]) - LpT * psi[None, :]
        wgt = b.E * np.exp(s["lnP"]) / self.sumE
        dPi_x, dPi_l = wgt @ dlnP_x, wgt @ dlnP_l
        if self.numeraire == "price_index":
            J[self.ref, :n] = dPi_x
            J[self.ref, n:] = dPi_l
        else:
            J[self.ref, :n] = Yp / self.sumY
            J[self.ref, n:] = Yp / self.sumY
        # labour supply G = l − κ (ln s + x − ln P̂)
        dG_x = dlnP_x
        dG_l = dlnP_l.copy()
        if self.income_tax:
            tau = s["tau"]
            EMg = Ep[:, None] * Mg
            scale = (1.0 / (Yp * (1.0 - tau)))[:, None]
            dlns_x = (g[:, None] * dEp_x + EMg) * scale
            dlns_l = (g[:, None] * dEp_l - EMg * psi[None, :]) * scale
            dlns_x[diag] -= tau / (1.0 - tau)
            dlns_l[diag] -= tau / (1.0 - tau)
            r0 = b.R0 * scale[:, 0]
            dlns_x -= np.outer(r0, dPi_x)
            dlns_l -= np.outer(r0, dPi_l)
            dG_x -= dlns_x
            dG_l -= dlns_l
        dG_x[diag] -= 1.0
        J[n:, :n] = kappa[:, None] * dG_x
        J[n:, n:] = kappa[:, None] * dG_l
        J[n:, n:][diag] += 1.0
        return J


def _newton(system: _System, z0: np.ndarray, tol: float, max_iter: int
            ) -> tuple[np.ndarray, dict[str, np.ndarray], int, float, bool]:
    """Damped Newton iteration; returns (z, state, iterations, residual, converged)."""
    z = z0.copy()
    s = system.state(z)
    F = s["F"]
    err = float(np.max(np.abs(F))) if np.all(np.isfinite(F)) else np.inf
    it = 0
    while it < max_iter and err > tol and np.isfinite(err):
        it += 1
        J = system.jacobian(s)
        try:
            step = sla.lu_solve(sla.lu_factor(J, check_finite=False), -F, check_finite=False)
        except (sla.LinAlgError, ValueError):
            return z, s, it, err, False
        if not np.all(np.isfinite(step)):
            return z, s, it, err, False
        big = np.max(np.abs(step))
        if big > 1.0:
            step *= 1.0 / big
        f0 = float(F @ F)
        alpha = 1.0
        while True:
            zn = z + alpha * step
            sn = system.state(zn)
            Fn = sn["F"]
            fn = float(Fn @ Fn)
            if np.isfinite(fn) and fn <= (1.0 - 1e-4 * alpha) * f0:
                break
            alpha *= 0.5
            if alpha < 1e-10:
                return z, s, it, err, False
        z, s, F = zn, sn, Fn
        err = float(np.max(np.abs(F)))
    return z, s, it, err, err <= tol


def solve_equilibrium(base: Baseline, params: ModelParams, t1: np.ndarray,
                      dhat: np.ndarray | None = None, *, transfers: Transfers = "fixed",
                      guess: np.ndarray | None = None, tol: float = 1e-10,
                      max_iter: int = 60,
                      transfer_change: np.ndarray | None = None) -> Equilibrium:
    """Solve the counterfactual equilibrium for new tariffs ``t1`` and trade-cost change ``dhat``.

    Args:
        base: Baseline arrays (from :func:`~worldorder.trade.baseline.baseline_from_world`).
        params: Resolved model parameters.
        t1: ``(N, N)`` new tariffs, ``t1[j, i]`` charged by importer i on j.
        dhat: ``(N, N)`` iceberg trade-cost changes d̂ (1 = none), or None.
        transfers: ``fixed`` (T scaled by world income), ``proportional`` (expenditure a
            fixed multiple of income, E'_i ∝ Y'_i (Y_i + T_i)/Y_i, rescaled by one common factor
            so that transfers sum to zero) or ``none`` (trade balanced in the counterfactual).
        guess: Starting point z = (ln ŵ, ln L̂), e.g. a previous solution (warm start).
        tol: Convergence tolerance on the max relative residual.
        max_iter: Newton iterations per attempt.
        transfer_change: ``(N,)`` change of the transfers T received (sums to zero), in
            baseline value units, scaled like T (e.g. a realised investment pledge).

    Returns:
        The :class:`Equilibrium`.

    Raises:
        ConvergenceError: With the residual reached and the worst equation.
        ValueError: On inputs of the wrong shape or tariffs ≤ −1.
    """
    start = time.perf_counter()
    n = base.n
    t1 = np.asarray(t1, dtype=float)
    if t1.shape != (n, n):
        raise ValueError(f"tariff matrix has shape {t1.shape}, expected {(n, n)}")
    if np.any(t1 <= -1.0) or not np.all(np.isfinite(t1)):
        raise ValueError("tariffs must be finite and greater than -100%")
    if dhat is not None:
        dhat = np.asarray(dhat, dtype=float)
        if dhat.shape != (n, n) or np.any(dhat <= 0) or not np.all(np.isfinite(dhat)):
            raise ValueError("trade-cost changes d̂ must be a positive finite (N, N) array")
    z0 = np.zeros(2 * n) if guess is None else np.asarray(guess, dtype=float)

    if transfer_change is not None:
        transfer_change = np.asarray(transfer_change, dtype=float)
        if transfer_change.shape != (n,) or abs(transfer_change.sum()) > 1e-9 * base.Y.sum():
            raise ValueError("transfer changes must be an (N,) array that sums to zero")
    system = _System(base, params, t1, dhat, transfers, transfer_change)
    z, s, iters, err, ok = _newton(system, z0, tol, max_iter)
    steps_used = 1
    total_iters = iters
    if not ok:  # homotopy: apply the shock in growing numbers of steps
        for steps in (4, 16, 64):
            zc = np.zeros(2 * n)
            ok = True
            for k in range(1, steps + 1):
                frac = k / steps
                tk = (1.0 + base.t0) * ((1.0 + t1) / (1.0 + base.t0)) ** frac - 1.0
                dk = None if dhat is None else dhat ** frac
                ck = None if transfer_change is None else transfer_change * frac
                sys_k = _System(base, params, tk, dk, transfers, ck)
                zc, s, iters, err, ok = _newton(sys_k, zc, tol, max_iter)
                total_iters += iters
                if not ok:
                    break
            if ok:
                z, steps_used = zc, steps
                break
    if not ok:
        F = s["F"]
        worst = int(np.argmax(np.abs(F))) if np.all(np.isfinite(F)) else -1
        kind = "goods market" if 0 <= worst < n else "labour supply"
        surplus = -base.T / base.Y
        hint = ""
        if transfers != "none" and surplus.max() > 0.25:
            hint = (f"; economy #{int(np.argmax(surplus))} has a trade surplus of "
                    f"{100 * surplus.max():.0f}% of its income, which fixed transfers may not "
                    "allow after this shock (try the balanced closure)")
        raise ConvergenceError(
            f"equilibrium solver did not converge: max residual {err:.3g} > {tol:g} after "
            f"{total_iters} Newton iterations (worst: {kind} equation of economy "
            f"#{worst % n}){hint}",
            iterations=total_iters, residual=err,
            diagnostics={"worst_equation": worst, "homotopy_steps_tried": 64},
        )
    return _package(system, z, s, total_iters, err, time.perf_counter() - start, steps_used)


def _package(system: _System, z: np.ndarray, s: dict[str, np.ndarray], iters: int, err: float,
             seconds: float, steps: int) -> Equilibrium:
    b, n = system.base, system.n
    x, ll = z[:n], z[n:]
    what, Lhat = np.exp(x), np.exp(ll)
    Ep = s["Ep"]
    X1 = s["Lp"] * system.mq * Ep[None, :]
    Phat = np.exp(s["lnP"])
    Ehat = Ep / b.E
    tau = s["tau"]
    kappa = system.kappa
    delta = b.E / (b.E - kappa * (1.0 - tau) * b.Y / (1.0 + kappa))
    welfare = delta * Ehat / Phat + (1.0 - delta) * what * Lhat / Phat
    return Equilibrium(
        what=what, Lhat=Lhat, Ehat=Ehat, Phat=Phat, welfare=welfare, X1=X1, E1=Ep,
        Y1=s["Yp"], R1=s["R"], T1=s["Tr"], lam1=s["Lp"], t1=system.t1, tau=tau, delta=delta,
        iterations=iters, residual=err, seconds=seconds, homotopy_steps=steps, z=z.copy(),
    )
