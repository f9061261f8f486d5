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
matrix products) and an Armijo backtracking line search on ‖F‖²; once a Newton step has divided the
residual by 20, chord steps reuse its factorised Jacobian (O(N²) each) while each divides the
residual by 10, and go on to tol/1000 (a cold 194-economy solve: two factorisations and about seven
chord steps instead of four factorisations). Unknowns are logarithms, so wages,
prices and employment stay positive. If Newton fails from the baseline, the shock is applied in
steps (homotopy continuation). Convergence: max relative residual ≤ ``tol`` (default 1e-10);
otherwise :class:`~worldorder.errors.ConvergenceError` with diagnostics.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import scipy.linalg as sla

from worldorder.errors import ConvergenceError
from worldorder.trade.baseline import Baseline
from worldorder.trade.jacobian import Factorization, JacobianBlocks, jacobian_blocks
from worldorder.trade.params import ModelParams

__all__ = ["Equilibrium", "solve_equilibrium"]

Transfers = Literal["fixed", "proportional", "none"]
JacobianUse = Literal["fresh", "reuse"]


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
        iterations, residual, seconds: Solver statistics (iterations: Newton steps, each
            with a Jacobian assembled and factorised).
        homotopy_steps: Continuation steps used (1 = direct Newton).
        z: The solution (ln ŵ, ln L̂), a warm start for nearby solves.
        factorization: With ``jacobian="reuse"``, the last factorised Jacobian (to reuse).
        chord_steps: Chord steps (with a factorisation reused, O(N²) each).
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
    factorization: Factorization | None = field(default=None, repr=False)
    chord_steps: int = 0

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
        self.newton_steps = 0  # Jacobians assembled and factorised by _newton
        one_t1 = 1.0 + t1
        # ln B = ln λ + ln((τ̂^{−φ} d̂^{−1})^{ε}): the second term (finite) is kept apart
        log_tau_hat = np.log1p(t1)
        log_tau_hat -= base.log1p_t0
        logB = log_tau_hat
        logB *= -(self.eps * self.phi)[None, :]
        if dhat is not None:
            logB -= self.eps[None, :] * np.log(dhat)
        self._log_change = logB
        self.q = t1 / one_t1
        self.mq = 1.0 / one_t1
        # with one ε for every importer, A = L0 ∘ exp(−ε c) needs no N×N exponential, and the
        # sums over A that the residual needs are matrix-vector products with L0, L0 ∘ q and
        # L0 ∘ (1 − q) (no N×N array is formed until the Jacobian needs λ')
        self.L0: np.ndarray | None = None
        if np.all(self.eps == self.eps[0]):
            self.L0 = np.exp(logB)
            self.L0 *= base.lam
            self.L0q = self.L0 * self.q
            self.L0m = self.L0 * self.mq
        self.sumY = base.Y.sum()
        self.sumE = base.E.sum()
        self.ref = int(np.argmax(base.E))
        self.T_target = base.T if transfers != "none" else np.zeros(n)
        if transfer_change is not None:  # e.g. a realised investment pledge, in baseline units
            self.T_target = self.T_target + transfer_change

    @cached_property
    def logL0(self) -> np.ndarray:
        """ln(λ B) with −inf where λ = 0: the exponents of A, for per-importer ε or far from the
        solution (:meth:`_sums`)."""
        logL0 = self._log_change + self.base.log_lam
        return logL0 if self.base.lam.all() else np.where(self.base.lam > 0, logL0, -np.inf)

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
        s = self._sums(c)
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
        g = s["g"]
        Ep = (Yp + Tr) / (1.0 - g)
        v = (1.0 - self.nu) * Ep
        # Σ_i H_ji v_i with H = λ'/(1+t¹): from the formed H, or (λ'_ji = e_j L0_ji / S_i)
        # as e ∘ (L0 ∘ (1 − q)) (v / S)
        Hv = s["H"] @ v if "H" in s else s["e"] * (self.L0m @ (v / s["S"]))
        D = Hv + self.nu * (Yp + Tr) - Yp
        lnEhat = np.log(Ep / b.E)
        lnP = (1.0 - self.phi) * (lnEhat - x) - s["logS"] / self.eps
        R = g * Ep
        Pi = (b.E * np.exp(lnP)).sum() / self.sumE  # world price index, 1 under its numeraire
        tau = (R - b.R0 * Pi) / Yp if self.income_tax else np.zeros(n)
        lns = -np.log1p(-tau) if self.income_tax else np.zeros(n)
        G = ll - self.kappa * (lns + x - lnP)
        F1 = D / Yp
        F1[self.ref] = Pi - 1.0 if self.numeraire == "price_index" else W - 1.0
        s.update({"x": x, "l": ll, "Yp": Yp, "W": W, "Tr": Tr, "Ep": Ep, "v": v, "D": D,
                  "lnP": lnP, "R": R, "tau": tau, "G": G, "F": np.concatenate([F1, G]),
                  "eyl": eyl, "Pi": np.array(Pi), "Q": Q, "k": np.array(k)})
        return s

    def _sums(self, c: np.ndarray) -> dict[str, np.ndarray]:
        """ln S and g = Σ_j λ'_j q_j from unit costs c: A = exp(logL0 − ε c), S = Σ_j A_j,
        λ' = A/S; with one ε, as products with L0 and L0 ∘ q (λ' is formed later by
        :meth:`arrays`), else with λ', λ' ∘ q and H = λ' ∘ (1 − q) formed here."""
        if self.L0 is not None:
            e = np.exp(-self.eps[0] * c)
            S = e @ self.L0
            if S.min() > 1e-280 and S.max() < 1e280:  # false for inf or NaN too
                return {"e": e, "S": S, "logS": np.log(S), "g": (e @ self.L0q) / S}
        # per-importer ε, or far from the solution: exponentials shifted by the column maxima
        logA = self.eps[None, :] * c[:, None]
        np.subtract(self.logL0, logA, out=logA)
        cmax = logA.max(axis=0)
        logA -= cmax[None, :]
        A = np.exp(logA, out=logA)
        S = A.sum(axis=0)
        A /= S[None, :]
        LpQ = A * self.q
        return {"Lp": A, "LpQ": LpQ, "H": A * self.mq, "g": LpQ.sum(axis=0),
                "logS": np.log(S) + cmax}

    def arrays(self, s: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """``s`` with the N×N arrays λ' (``Lp``), λ' ∘ q (``LpQ``) and H = λ' ∘ (1 − q)."""
        if "Lp" not in s:
            assert self.L0 is not None
            Lp = self.L0 * s["e"][:, None]
            Lp /= s["S"][None, :]
            s["Lp"], s["LpQ"], s["H"] = Lp, Lp * self.q, Lp * self.mq
        return s

    def residual(self, z: np.ndarray) -> np.ndarray:
        """F(z): relative goods-market excess demand (numeraire in one row), labour supply."""
        return self.state(z)["F"]

    def blocks(self, s: dict[str, np.ndarray]) -> JacobianBlocks:
        """The analytic Jacobian at ``s`` in blocks (:mod:`~worldorder.trade.jacobian`)."""
        b = self.base
        return jacobian_blocks(
            self.arrays(s), eps=self.eps, psi=self.psi, nu=self.nu, phi=self.phi, kappa=self.kappa,
            T_target=self.T_target, E0=b.E, R0=b.R0, sumY=self.sumY,
            sumE=self.sumE, ref=self.ref, proportional=self.transfers == "proportional",
            income_tax=self.income_tax, price_index=self.numeraire == "price_index")

    def jacobian(self, s: dict[str, np.ndarray]) -> np.ndarray:
        """Analytic dF/dz at the state ``s`` as a dense (2N, 2N) matrix."""
        return self.blocks(s).dense()


# a reused factorisation is kept while each of its steps divides the max residual by at least
# this factor; otherwise the Jacobian is assembled and factorised afresh at the current point
_CHORD_CONTRACTION = 0.1
# Newton's method switches to chord steps once a Newton step has divided the max residual by
# at least this factor (the Jacobian then changes little from one iterate to the next)
_CHORD_START = 0.05
# chord steps go on below the tolerance, to tol × _POLISH, while they contract as above: their
# O(N²) steps make the solution as accurate as the last Newton step, whose quadratic convergence
# overshoots the tolerance by orders of magnitude, usually makes it
_POLISH = 1e-3


def _max_abs(F: np.ndarray) -> float:
    return float(np.max(np.abs(F))) if np.all(np.isfinite(F)) else np.inf


def _newton(system: _System, z0: np.ndarray, tol: float, max_iter: int, *,
            reuse: bool = False, fac: Factorization | None = None
            ) -> tuple[np.ndarray, dict[str, np.ndarray], int, float, bool,
                       Factorization | None]:
    """Damped Newton iteration with chord steps; returns (z, state, steps, residual,
    converged, factor), ``steps`` counting Newton and chord steps (``system.newton_steps``
    counts the Newton steps).

    A Newton step assembles and factorises the Jacobian at the current point and backtracks
    (Armijo) on ‖F‖². A chord step z ← z − J_old⁻¹F(z) reuses the last factorisation, O(N²),
    and is accepted when it divides the max residual by ``1/_CHORD_CONTRACTION`` or more; when
    it does not, a Newton step is taken from the same point. Chord steps are tried once a
    Newton step has divided the residual by ``1/_CHORD_START`` (near the solution, where
    Newton's method converges quadratically and the Jacobian hardly changes) and, with
    ``reuse``, from the start with the last factorisation (or ``fac``, e.g. from a nearby
    solve). After a chord step the iteration stops at ``tol × _POLISH`` rather than ``tol``
    (or when chord steps stop contracting with the residual within ``tol``), so that the
    solution is as accurate as Newton's (Kelley 2003, *Solving Nonlinear Equations with
    Newton's Method*, §1.9 and ch. 2 on the chord and Shamanskii methods).
    """
    z = z0.copy()
    s = system.state(z)
    F = s["F"]
    err = _max_abs(F)
    it = 0
    if not reuse:
        fac = None
    chord = reuse  # whether to try a chord step with ``fac``
    chorded = False  # whether the last step taken was a chord step
    while it < max_iter and err > (tol * _POLISH if chorded else tol) and np.isfinite(err):
        it += 1
        if chord and fac is not None:
            try:
                zn = z + fac.solve(-F)
            except (sla.LinAlgError, ValueError):
                zn = z
            sn = system.state(zn)
            Fn = sn["F"]
            errn = _max_abs(Fn)
            if errn <= _CHORD_CONTRACTION * err:
                z, s, F, err, chorded = zn, sn, Fn, errn, True
                continue
            if err <= tol:  # converged; chord steps no longer improve the solution
                it -= 1
                break
        system.newton_steps += 1
        try:
            fac = system.blocks(s).factor()
            step = fac.solve(-F)
        except (sla.LinAlgError, ValueError):
            return z, s, it, err, False, None
        if not np.all(np.isfinite(step)):
            return z, s, it, err, False, None
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
                return z, s, it, err, False, fac
        errn = float(np.max(np.abs(Fn)))
        chord = reuse or (alpha == 1.0 and errn <= _CHORD_START * err)
        z, s, F, err, chorded = zn, sn, Fn, errn, False
    return z, s, it, err, err <= tol, fac


def solve_equilibrium(base: Baseline, params: ModelParams, t1: np.ndarray,
                      dhat: np.ndarray | None = None, *, transfers: Transfers = "fixed",
                      guess: np.ndarray | None = None, tol: float = 1e-10,
                      max_iter: int = 60,
                      transfer_change: np.ndarray | None = None,
                      jacobian: JacobianUse = "fresh",
                      factorization: Factorization | None = None,
                      factor_solution: bool = False) -> Equilibrium:
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
        max_iter: Steps (Newton or chord) per attempt.
        transfer_change: ``(N,)`` change of the transfers T received (sums to zero), in
            baseline value units, scaled like T (e.g. a realised investment pledge).
        jacobian: ``fresh`` (the default: Newton's method from ``guess``, switching to chord
            steps with the last factorisation once a Newton step has divided the residual by
            20 or more, see ``_newton``) or ``reuse`` (chord steps from the start with
            ``factorization`` or the last factorisation, refreshed when a step does not divide
            the residual by 10: several times faster for repeated solves such as sweeps).
            Either way the solution satisfies the same tolerance, and steps after a chord
            step go on to ``tol``/1000.
        factorization: With ``jacobian="reuse"``, a factorisation to start from, e.g.
            ``Equilibrium.factorization`` of a solve with nearby parameters.
        factor_solution: With ``jacobian="reuse"``, return the Jacobian factorised at the
            solution (one more factorisation) rather than the last one used, which chord steps
            may have kept from an early iterate: the best start for many nearby solves (the
            anchors of a sweep; chord steps from it contract the residual about 3 times faster
            on world-2023 than from the last one used).

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
    if jacobian not in ("fresh", "reuse"):
        raise ValueError(f"jacobian must be 'fresh' or 'reuse', not {jacobian!r}")
    reuse = jacobian == "reuse"
    z, s, iters, err, ok, fac = _newton(system, z0, tol, max_iter, reuse=reuse,
                                        fac=factorization)
    steps_used = 1
    total_iters, newton = iters, system.newton_steps
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
                zc, s, iters, err, ok, fac = _newton(sys_k, zc, tol, max_iter, reuse=reuse,
                                                     fac=fac)
                total_iters += iters
                newton += sys_k.newton_steps
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
        codes = params.codes if len(params.codes) == n else [f"#{k}" for k in range(n)]
        hint = ""
        if np.any((params.psi * params.epsilon.max() >= 1.0) & (params.kappa > 0)):
            hint = ("; scale economies are strong (psi*epsilon >= 1), so this shock may have "
                    "no equilibrium near the baseline")
        elif transfers != "none" and surplus.max() > 0.25:
            hint = (f"; {codes[int(np.argmax(surplus))]} has a trade surplus of "
                    f"{100 * surplus.max():.0f}% of its income, which fixed transfers may not "
                    "allow after this shock (try the balanced closure)")
        raise ConvergenceError(
            f"equilibrium solver did not converge: max residual {err:.3g} > {tol:g} after "
            f"{newton} Newton iterations and {total_iters - newton} chord steps (worst: "
            f"{kind} equation of {codes[worst % n]}){hint}",
            iterations=newton, residual=err,
            diagnostics={"worst_equation": worst, "homotopy_steps_tried": 64},
        )
    if reuse and factor_solution:
        with np.errstate(all="ignore"):
            fac = system.blocks(s).factor()
        newton += 1
    return _package(system, z, s, (newton, total_iters - newton), err,
                    time.perf_counter() - start, steps_used, fac if reuse else None)


def _package(system: _System, z: np.ndarray, s: dict[str, np.ndarray], iters: tuple[int, int],
             err: float, seconds: float, steps: int, fac: Factorization | None) -> Equilibrium:
    b, n = system.base, system.n
    s = system.arrays(s)
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
        iterations=iters[0], chord_steps=iters[1], residual=err, seconds=seconds,
        homotopy_steps=steps, z=z.copy(), factorization=fac,
    )
