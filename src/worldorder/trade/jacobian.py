"""The analytic Jacobian of the equilibrium system in block form, and its structured solve.

The unknowns of :mod:`worldorder.trade.equilibrium` are z = (x, l) = (ln ŵ, ln L̂). Every
equation depends on them through two channels only: the income channel a = x + l (Y'_i = ŵ_i L̂_i
Y_i) and the unit-cost channel c = x − ψ l (c_m = ln ŵ_m − ψ_m ln L̂_m), plus a few terms that
are diagonal in x or l. In the coordinates (a, c) the Jacobian has four N×N blocks

.. math::

    J_{(a,c)} = \\begin{pmatrix} G_a & G_c \\\\ L_a & L_c \\end{pmatrix},\\qquad
    \\partial F/\\partial x = J_a + J_c,\\quad \\partial F/\\partial l = J_a - J_c Ψ

(rows: goods markets with the numeraire in row ``ref``, then labour supply), with

* G_c = Ĥ (w ∘ H)ᵀ − diag(Σ_k H_ik ε_k v_k / Y'_i), where H = λ'/(1+t¹), Ĥ = H / Y' (rows),
  v = (1−ν)E', w_k = ε_k (1−ν_k) E'_k / (1−g_k): one N×N×N product;
* G_a = Ĥ diag(m) + diag + rank one (income and transfers), m = (1−ν) ∂E'/∂Y';
* L_a = diag + rank two (income, transfers and the world price index in the income tax);
* L_c dense (prices fall with the costs of every supplier).

A Newton step solves J δz = −F. Because L_a is a diagonal plus a rank-two matrix, it is inverted
by the Sherman–Morrison–Woodbury formula in O(N²), and the step follows from the N×N Schur
complement S = G_c − G_a L_a⁻¹ L_c (one matrix product and one LU factorisation of size N
instead of an LU of size 2N: about 4 times fewer operations). Only when L_a is badly conditioned
(it is not for any parameters of the presets) is the dense 2N×2N system factorised instead. The
two solves give the same step up to rounding (tested), so the iterates of Newton's method, and
hence the solutions, do not depend on which one is used.

Reference for the block elimination: Golub & Van Loan (2013), *Matrix Computations*, 4th ed.,
§3.2.11 (block LU) and §2.1.4 (Sherman–Morrison–Woodbury).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.linalg as sla

__all__ = ["Factorization", "JacobianBlocks", "jacobian_blocks"]

# smallest |diag(L_a)| relative to its largest for the structured solve; below, the dense LU
_MIN_PIVOT_RATIO = 1e-3
# LAPACK's LU factorisation and solve, called directly (no checks or copies: the Schur
# complement is factorised in place and solved with O(N²) steps many times)
_GETRF, _GETRS = sla.get_lapack_funcs(("getrf", "getrs"), (np.zeros(1),))


@dataclass(frozen=True, eq=False)
class JacobianBlocks:
    """dF/d(a, c) in factored blocks (see the module docstring).

    Attributes:
        psi: ψ (N,), for the change of coordinates back to (x, l).
        Hs, H: Ĥ = H/Y' (rows) and H = λ'/(1+t¹), (N, N).
        w, m: Column weights of G_c's product and of G_a's dense part, (N,).
        gcd: Diagonal subtracted from G_c, (N,).
        gd, gb, u2: G_a = Ĥ diag(m) + diag(gd) + gb u2ᵀ (rows other than ``ref``).
        ref, ref_a, ref_c: The numeraire row and its a- and c-coefficients.
        la, lu, lv: L_a = diag(la) + lu @ lv with lu (N, r), lv (r, N).
        LcT: L_cᵀ, (N, N).
    """

    psi: np.ndarray
    Hs: np.ndarray
    H: np.ndarray
    w: np.ndarray
    m: np.ndarray
    gcd: np.ndarray
    gd: np.ndarray
    gb: np.ndarray
    u2: np.ndarray
    ref: int
    ref_a: np.ndarray
    ref_c: np.ndarray
    la: np.ndarray
    lu: np.ndarray
    lv: np.ndarray
    LcT: np.ndarray

    # ---------------------------------------------------------------------------------------
    @cached_property
    def Ga(self) -> np.ndarray:
        """G_a as a dense matrix."""
        Ga: np.ndarray = self.Hs * self.m[None, :]
        Ga += np.outer(self.gb, self.u2)
        Ga.flat[:: len(self.m) + 1] += self.gd
        Ga[self.ref] = self.ref_a
        return Ga

    @cached_property
    def Gc(self) -> np.ndarray:
        """G_c as a dense matrix."""
        Gc: np.ndarray = self.Hs @ (self.w[:, None] * self.H.T)
        Gc.flat[:: len(self.m) + 1] -= self.gcd
        Gc[self.ref] = self.ref_c
        return Gc

    @cached_property
    def La(self) -> np.ndarray:
        """L_a as a dense matrix."""
        La: np.ndarray = self.lu @ self.lv
        La.flat[:: len(self.la) + 1] += self.la
        return La

    def dense(self) -> np.ndarray:
        """dF/dz with z = (x, l), as a (2N, 2N) matrix."""
        n = len(self.psi)
        J = np.empty((2 * n, 2 * n))
        Ca = np.vstack([self.Ga, self.La])
        Cc = np.vstack([self.Gc, self.LcT.T])
        J[:, :n] = Ca + Cc
        J[:, n:] = Ca - Cc * self.psi[None, :]
        return J

    def to_xl(self, a: np.ndarray, c: np.ndarray) -> np.ndarray:
        """(δx, δl) from (δa, δc): x = (ψa + c)/(1+ψ), l = (a − c)/(1+ψ)."""
        one_psi = 1.0 + self.psi
        return np.concatenate([(self.psi * a + c) / one_psi, (a - c) / one_psi])

    # ---------------------------------------------------------------------------------------
    def structured(self) -> bool:
        """Whether L_a is safely invertible by the Woodbury formula."""
        la = np.abs(self.la)
        return bool(np.all(np.isfinite(la)) and la.min() > _MIN_PIVOT_RATIO * la.max())

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        """δz = J⁻¹ rhs (see :meth:`factor`)."""
        return self.factor().solve(rhs)

    def factor(self) -> Factorization:
        """The factorised Jacobian: Schur complement on L_a, or the dense LU.

        Raises:
            numpy.linalg.LinAlgError, ValueError: When the system is singular.
        """
        if not self.structured():
            return Factorization(dense=sla.lu_factor(self.dense(), check_finite=False),
                                 blocks=self)
        # Yᵀ = (L_a⁻¹ L_c)ᵀ by Sherman–Morrison–Woodbury; the transposed orientation keeps every
        # array C-contiguous
        n = len(self.psi)
        dinv = 1.0 / self.la
        YT = self.LcT * dinv[None, :]
        woodbury = None
        if self.lu.shape[1]:
            DU = self.lu * dinv[:, None]
            cap = np.eye(self.lu.shape[1]) + self.lv @ DU
            YT -= (YT @ self.lv.T) @ np.linalg.solve(cap.T, DU.T)
            woodbury = DU @ np.linalg.inv(cap)
        # Schur complement Sᵀ = (G_c − G_a L_a⁻¹ L_c)ᵀ
        M2T = self.H * self.w[None, :]
        M2T -= YT * self.m[None, :]
        ST = M2T @ self.Hs.T
        ST -= YT * self.gd[None, :]
        _rank1_update(ST, YT @ self.u2, -self.gb)
        ST.flat[:: n + 1] -= self.gcd
        ST[:, self.ref] = self.ref_c - YT @ self.ref_a
        # LU of S itself, in place: Sᵀ is C-contiguous, so S = (Sᵀ)ᵀ is Fortran-ordered
        lu, piv, info = _GETRF(ST.T, overwrite_a=True)
        if info != 0:
            raise np.linalg.LinAlgError("singular Schur complement")
        return Factorization(schur=(lu, piv), YT=YT, dinv=dinv, DU=woodbury, blocks=self)


def _rank1_update(A: np.ndarray, x: np.ndarray, y: np.ndarray) -> None:
    """A += x yᵀ in place, for a C-contiguous A (BLAS dger on its Fortran-ordered transpose)."""
    AT = A.T
    out = sla.blas.dger(1.0, y, x, a=AT, overwrite_a=True)
    if out.base is not A and out is not AT:  # BLAS could not work in place
        A[...] = out.T


@dataclass(frozen=True, eq=False)
class Factorization:
    """A factorised Jacobian; :meth:`solve` costs O(N²), so it can be reused (chord steps)."""

    blocks: JacobianBlocks
    dense: tuple[np.ndarray, np.ndarray] | None = None
    schur: tuple[np.ndarray, np.ndarray] | None = None
    YT: np.ndarray | None = None
    dinv: np.ndarray | None = None
    DU: np.ndarray | None = None  # D⁻¹U (I + V D⁻¹U)⁻¹ of the Woodbury formula

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        """δz = J⁻¹ rhs."""
        if self.schur is None:
            assert self.dense is not None
            out: np.ndarray = sla.lu_solve(self.dense, rhs, check_finite=False)
            return out
        bl, YT = self.blocks, self.YT
        assert YT is not None and self.dinv is not None
        n = len(bl.psi)
        f1, f2 = rhs[:n], rhs[n:]
        yf = f2 * self.dinv  # L_a⁻¹ f2
        if self.DU is not None:
            yf -= self.DU @ (bl.lv @ yf)
        r = f1 - (bl.Hs @ (bl.m * yf) + bl.gd * yf + bl.gb * (bl.u2 @ yf))
        r[bl.ref] = f1[bl.ref] - bl.ref_a @ yf
        c, info = _GETRS(*self.schur, r)
        if info != 0:
            raise ValueError(f"LAPACK getrs: argument {-info} is invalid")
        a = yf - c @ YT
        return bl.to_xl(a, c)


def jacobian_blocks(s: dict[str, np.ndarray], *, eps: np.ndarray, psi: np.ndarray,
                    nu: np.ndarray, phi: np.ndarray, kappa: np.ndarray,
                    T_target: np.ndarray, E0: np.ndarray, R0: np.ndarray, sumY: float,
                    sumE: float, ref: int, proportional: bool, income_tax: bool,
                    price_index: bool) -> JacobianBlocks:
    """The Jacobian blocks at the state ``s`` of the equilibrium system.

    Derivatives (with ``Lp`` = λ', g_i = Σ_j λ'_{ji} q_{ji}, q = t¹/(1+t¹)):
    ∂ln S_i/∂c_m = −ε_i λ'_{mi}; ∂g_i/∂c_m = M_{im} = −ε_i λ'_{mi}(q_{mi} − g_i);
    ∂(Y'+T')/∂a = diag(d) + d₁ u₂ᵀ (fixed: d = Y', d₁ = T, u₂ = Y'/ΣY; proportional:
    d = kQ, d₁ = Q, u₂ = (Y' − kQ)/ΣQ); E' = (Y'+T')/(1−g), so ∂E'/∂a = that over (1−g) and
    ∂E'/∂c = E'/(1−g) M; ln P̂ = (1−φ)(ln Ê − x) − ln S/ε; ln s = −ln(1 − τ) with
    τ = (R' − R⁰Π)/Y'.

    Args:
        s: The state (from the equilibrium system's ``state``).
        eps, psi, nu, phi, kappa: Parameters (N,).
        T_target, E0, R0: Target transfers, baseline expenditure and revenue (N,).
        sumY, sumE: Baseline world income and expenditure.
        ref: The numeraire row.
        proportional, income_tax, price_index: The model switches.
    """
    Lp, LpQ, Yp, g, Ep, H = s["Lp"], s["LpQ"], s["Yp"], s["g"], s["Ep"], s["H"]
    one_g = 1.0 - g
    one_psi = 1.0 + psi
    one_phi = 1.0 - phi
    # ∂(Y' + T')/∂a = diag(dd) + d1 u2ᵀ
    if proportional:
        Q, k = s["Q"], float(s["k"])
        dd, d1, u2 = k * Q, Q, (Yp - k * Q) / Q.sum()
    else:
        dd, d1, u2 = Yp, T_target, Yp / sumY
    uD, u1 = dd / one_g, d1 / one_g  # ∂E'/∂a = diag(uD) + u1 u2ᵀ
    # Mᵀ[m, i] = ∂g_i/∂c_m = ε_i (λ'_{mi} g_i − λ'_{mi} q_{mi}) is never formed: Mᵀ y is
    # Lp (ε g y) − LpQ (ε y), with LpQ = λ' ∘ q from the state
    # goods markets D_i/Y'_i − r_i
    v = (1.0 - nu) * Ep
    Hs = H / Yp[:, None]
    w = eps * v / one_g
    gcd = (H @ (eps * v)) / Yp
    m = (1.0 - nu) * uD
    r = s["D"] / Yp
    gd = (nu * dd - Yp) / Yp - r
    gb = (H @ ((1.0 - nu) * u1) + nu * d1) / Yp
    # price index: d ln P̂ = (diag(pa) + pb u2ᵀ) da + (Qp − diag((1−φ)/(1+ψ))) dc
    pa = one_phi * uD / Ep - one_phi * psi / one_psi
    pb = one_phi * u1 / Ep
    wgt = E0 * np.exp(s["lnP"]) / sumE  # ∂Π/∂ln P̂
    dPi_a = wgt * pa + (wgt @ pb) * u2
    y = wgt * one_phi / one_g
    dPi_c = Lp @ (eps * g * y + wgt) - LpQ @ (eps * y) - wgt * one_phi / one_psi
    # labour supply G = l − κ(ln s + x − ln P̂)
    la = (1.0 - kappa * psi) / one_psi + kappa * pa
    lu_cols = [kappa * pb]
    lv_rows = [u2]
    coef = one_phi / one_g
    if income_tax:
        tau = s["tau"]
        scale = 1.0 / (Yp * (1.0 - tau))
        sg = scale * g
        la = la - kappa * (sg * uD - tau / (1.0 - tau))
        lu_cols[0] = kappa * (pb - sg * u1)
        r0s = R0 * scale
        lu_cols.append(kappa * r0s)
        lv_rows.append(dPi_a)
        coef = coef - scale * Ep / one_g
    kc = kappa * coef * eps
    LcT = Lp * (kc * g + kappa)[None, :]  # L_cᵀ = Mᵀ diag(κ coef) + λ' diag(κ) + ...
    LcT -= LpQ * kc[None, :]
    if income_tax:
        _rank1_update(LcT, dPi_c, kappa * r0s)
    LcT.flat[:: len(psi) + 1] -= (1.0 + kappa * (2.0 - phi)) / one_psi
    if price_index:
        ref_a, ref_c = dPi_a, dPi_c
    else:
        ref_a, ref_c = Yp / sumY, np.zeros_like(Yp)
    return JacobianBlocks(
        psi=psi, Hs=Hs, H=H, w=w, m=m, gcd=gcd, gd=gd, gb=gb, u2=u2, ref=ref,
        ref_a=ref_a, ref_c=ref_c, la=la, lu=np.column_stack(lu_cols), lv=np.vstack(lv_rows),
        LcT=LcT,
    )
