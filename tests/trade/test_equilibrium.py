"""Identities, closed forms and properties of the equilibrium core."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import random_world
from worldorder.errors import ConvergenceError
from worldorder.trade.baseline import baseline_from_flows, baseline_from_world
from worldorder.trade.equilibrium import _System, solve_equilibrium
from worldorder.trade.params import ModelParams, resolve_params

PRESETS = ["ignatenko2025", "ek-krugman", "armington"]


def _setup(n: int = 6, seed: int = 1, preset: str = "ignatenko2025", **over):
    w = random_world(n, seed)
    p = resolve_params(w, preset, **over)
    b = baseline_from_world(w.trade, w.gdp, w.tariffs, p.nu)
    return w, p, b


def _us_style_shock(b, rate: float = 0.25, imposer: int = 0) -> np.ndarray:
    t1 = b.t0.copy()
    others = np.arange(b.n) != imposer
    t1[others, imposer] += rate
    return t1


def _check_identities(b, p, e, transfers: str = "fixed") -> None:
    X1 = e.X1
    Y_goods = ((1 - p.nu)[None, :] * X1).sum(axis=1) + p.nu * X1.sum(axis=0)
    # goods markets (all of them: Walras' law closes the one replaced by the numeraire)
    np.testing.assert_allclose(Y_goods, e.Y1, rtol=1e-9)
    # budgets: E' = Y' + R' + T'
    np.testing.assert_allclose(e.E1, e.Y1 + e.R1 + e.T1, rtol=1e-9)
    # revenue is what the tariffs collect; expenditure is the gross value of purchases
    np.testing.assert_allclose(e.R1, (e.t1 * X1).sum(axis=0), rtol=1e-9)
    np.testing.assert_allclose(e.E1, (X1 * (1 + e.t1)).sum(axis=0), rtol=1e-9)
    # world adding-up: income equals producer-price sales, transfers net out
    np.testing.assert_allclose(e.Y1.sum(), X1.sum(), rtol=1e-10)
    assert abs(e.T1.sum()) <= 1e-9 * e.Y1.sum()
    np.testing.assert_allclose(e.lam1.sum(axis=0), 1.0, rtol=1e-12)
    if p.numeraire == "price_index":
        assert abs((b.E * (e.Phat - 1)).sum()) <= 1e-9 * b.E.sum()
    assert np.all(e.what > 0) and np.all(e.Phat > 0) and np.all(e.Lhat > 0)
    assert np.all(np.isreal(e.Phat))
    if transfers == "fixed":
        np.testing.assert_allclose(e.T1, b.T * e.Y1.sum() / b.Y.sum(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("preset", PRESETS)
def test_zero_shock_leaves_everything_unchanged(preset: str) -> None:
    _, p, b = _setup(preset=preset)
    e = solve_equilibrium(b, p, b.t0)
    for arr in (e.what, e.Lhat, e.Ehat, e.Phat, e.welfare):
        np.testing.assert_allclose(arr, 1.0, atol=1e-12)
    np.testing.assert_allclose(e.X1, b.X, rtol=1e-12)
    np.testing.assert_allclose(e.R1, b.R0, rtol=1e-12)


def test_baseline_identities() -> None:
    _, _, b = _setup()
    assert abs(b.T.sum()) <= 1e-10 * b.Y.sum()
    np.testing.assert_allclose(b.Y.sum(), b.X.sum(), rtol=1e-12)
    np.testing.assert_allclose(b.lam.sum(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(b.E, b.Y + b.R0 + b.T, rtol=1e-12)


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("transfers", ["fixed", "proportional", "none"])
def test_identities_hold_in_every_solution(preset: str, transfers: str) -> None:
    _, p, b = _setup(preset=preset)
    e = solve_equilibrium(b, p, _us_style_shock(b), transfers=transfers)
    assert e.residual <= 1e-10
    _check_identities(b, p, e, transfers)


@pytest.mark.parametrize(
    "over",
    [{}, {"revenue": "lump_sum"}, {"numeraire": "world_income"},
     {"kappa": 1.5, "nu": {"default": 0.2, "E01": 0.3}}],
)
@pytest.mark.parametrize("transfers", ["fixed", "proportional", "none"])
def test_analytic_jacobian_matches_finite_differences(over: dict, transfers: str) -> None:
    _, p, b = _setup(n=5, seed=3, **over)
    rng = np.random.default_rng(0)
    dhat = np.exp(rng.normal(0, 0.1, (b.n, b.n)))
    system = _System(b, p, _us_style_shock(b, 0.4), dhat, transfers)  # type: ignore[arg-type]
    z = rng.normal(0.0, 0.05, 2 * b.n)
    J = system.jacobian(system.state(z))
    h = 1e-6
    num = np.empty_like(J)
    for k in range(2 * b.n):
        dz = np.zeros(2 * b.n)
        dz[k] = h
        num[:, k] = (system.residual(z + dz) - system.residual(z - dz)) / (2 * h)
    np.testing.assert_allclose(J, num, atol=1e-7 * max(1.0, np.abs(num).max()))


@pytest.mark.parametrize("preset", PRESETS)
def test_real_outcomes_do_not_depend_on_the_numeraire(preset: str) -> None:
    w, p, b = _setup(preset=preset)
    p2 = resolve_params(w, preset, numeraire="world_income")
    t1 = _us_style_shock(b, 0.3)
    e1 = solve_equilibrium(b, p, t1)
    e2 = solve_equilibrium(b, p2, t1)
    np.testing.assert_allclose(e1.welfare, e2.welfare, rtol=1e-9)
    np.testing.assert_allclose(e1.real_wage, e2.real_wage, rtol=1e-9)
    np.testing.assert_allclose(e1.Lhat, e2.Lhat, rtol=1e-9)
    np.testing.assert_allclose(e1.lam1, e2.lam1, rtol=1e-9, atol=1e-15)
    # nominal values differ by one common factor
    ratio = e1.what / e2.what
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)
    assert abs(e2.Y1.sum() / b.Y.sum() - 1) < 1e-12


def test_acr_formula_under_armington_for_an_iceberg_shock() -> None:
    """Arkolakis, Costinot & Rodríguez-Clare (2012): Ŵ_i = λ̂_ii^(−1/ε)."""
    w = random_world(7, seed=5)
    p = resolve_params(w, "armington", epsilon=5.0)
    b = baseline_from_world(w.trade, w.gdp, np.zeros((7, 7)), p.nu)  # no tariff revenue
    rng = np.random.default_rng(2)
    dhat = np.exp(rng.normal(0.0, 0.2, (b.n, b.n)))
    np.fill_diagonal(dhat, 1.0)
    e = solve_equilibrium(b, p, b.t0, dhat)
    lam_hat = np.diag(e.lam1) / np.diag(b.lam)
    # real income of factors always follows ACR; welfare does when deficits scale with income
    np.testing.assert_allclose(e.real_wage, lam_hat ** (-1 / 5.0), rtol=1e-10)
    e_prop = solve_equilibrium(b, p, b.t0, dhat, transfers="proportional")
    lam_hat_p = np.diag(e_prop.lam1) / np.diag(b.lam)
    k = e_prop.Ehat / e_prop.what  # the common Walras factor of the proportional closure
    np.testing.assert_allclose(k, k[0], rtol=1e-10)
    np.testing.assert_allclose(e_prop.welfare / k, lam_hat_p ** (-1 / 5.0), rtol=1e-10)


@pytest.mark.parametrize("t", [0.05, 0.2, 0.6])
@pytest.mark.parametrize("lam_home", [0.6, 0.9])
def test_two_country_symmetric_tariff_matches_closed_form(t: float, lam_home: float) -> None:
    """Two symmetric Armington economies tax each other at rate t with lump-sum rebates.

    By symmetry ŵ = 1, so P̂ = (λ + (1−λ)(1+t)^(−ε))^(−1/ε),
    λ'_F = (1−λ)(1+t)^(−ε)/(λ + (1−λ)(1+t)^(−ε)), Ê = 1/(1 − λ'_F t/(1+t)), Ŵ = Ê/P̂.
    """
    eps = 4.0
    X = np.array([[lam_home, 1 - lam_home], [1 - lam_home, lam_home]]) * 100.0
    b = baseline_from_flows(X, np.zeros((2, 2)), np.zeros(2))
    one = np.ones(2)
    p = ModelParams(codes=("A", "B"), epsilon=eps * one, kappa=0 * one, psi=0 * one,
                    nu=0 * one, phi=one, revenue="lump_sum", numeraire="world_income")
    t1 = np.array([[0.0, t], [t, 0.0]])
    e = solve_equilibrium(b, p, t1)
    a = (1 - lam_home) * (1 + t) ** (-eps)
    P = (lam_home + a) ** (-1 / eps)
    lam_f = a / (lam_home + a)
    W = 1 / (1 - lam_f * t / (1 + t)) / P
    np.testing.assert_allclose(e.what, 1.0, atol=1e-12)
    np.testing.assert_allclose(e.Phat, P, rtol=1e-12)
    np.testing.assert_allclose(e.welfare, W, rtol=1e-12)
    np.testing.assert_allclose(e.lam1[0, 1], lam_f, rtol=1e-12)


def test_homotopy_and_convergence_error() -> None:
    _, p, b = _setup(n=6, seed=4)
    t1 = _us_style_shock(b, 3.0)
    e = solve_equilibrium(b, p, t1)
    assert e.residual <= 1e-10
    with pytest.raises(ConvergenceError, match="did not converge") as info:
        solve_equilibrium(b, p, t1, max_iter=1)
    assert info.value.residual > 1e-10 and info.value.iterations > 0


def test_warm_start_gives_the_same_solution() -> None:
    _, p, b = _setup(n=8, seed=6)
    t1 = _us_style_shock(b, 0.2)
    cold = solve_equilibrium(b, p, t1)
    warm = solve_equilibrium(b, p, t1 * 1.01, guess=cold.z)
    again = solve_equilibrium(b, p, t1 * 1.01)
    np.testing.assert_allclose(warm.welfare, again.welfare, rtol=1e-10)


def test_rejects_bad_shocks() -> None:
    _, p, b = _setup()
    with pytest.raises(ValueError, match="shape"):
        solve_equilibrium(b, p, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="-100%"):
        solve_equilibrium(b, p, np.full((b.n, b.n), -1.5))


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(2, 7),
    seed=st.integers(0, 10_000),
    preset=st.sampled_from(PRESETS),
    rate=st.floats(0.0, 1.0),
    cost=st.floats(-0.3, 0.3),
    transfers=st.sampled_from(["fixed", "proportional", "none"]),
)
def test_random_small_worlds(n: int, seed: int, preset: str, rate: float, cost: float,
                             transfers: str) -> None:
    """Random worlds and shocks: the solver converges and every identity holds."""
    w = random_world(n, seed)
    p = resolve_params(w, preset)
    b = baseline_from_world(w.trade, w.gdp, w.tariffs, p.nu)
    rng = np.random.default_rng(seed)
    t1 = b.t0 + rate * rng.uniform(0, 1, (n, n)) * ~np.eye(n, dtype=bool)
    dhat = np.exp(cost * rng.uniform(-1, 1, (n, n)))
    e = solve_equilibrium(b, p, t1, dhat, transfers=transfers)  # type: ignore[arg-type]
    assert e.residual <= 1e-10
    _check_identities(b, p, e, transfers)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 6), seed=st.integers(0, 10_000), scale=st.floats(0.1, 50.0))
def test_homogeneity_in_the_scale_of_data(n: int, seed: int, scale: float) -> None:
    """Scaling every value by a constant changes no result in hats."""
    w = random_world(n, seed)
    p = resolve_params(w, "ignatenko2025")
    b1 = baseline_from_world(w.trade, w.gdp, w.tariffs, p.nu)
    b2 = baseline_from_world(w.trade * scale, w.gdp * scale, w.tariffs, p.nu)
    t1 = _us_style_shock(b1, 0.2)
    e1, e2 = solve_equilibrium(b1, p, t1), solve_equilibrium(b2, p, t1)
    np.testing.assert_allclose(e1.welfare, e2.welfare, rtol=1e-9)
    np.testing.assert_allclose(e1.X1 * scale, e2.X1, rtol=1e-8)


def test_strong_scale_economies_are_allowed_with_a_warning() -> None:
    """ψε ≥ 1 is no longer refused: the solver finds the equilibrium near the baseline, the
    identities hold, and the parameters carry a warning about uniqueness."""
    w, p, b = _setup(n=6, seed=2, epsilon=4.0, psi=0.3)  # ψε = 1.2
    assert p.warnings() and "may not be unique" in p.warnings()[0]
    e = solve_equilibrium(b, p, _us_style_shock(b, 0.1))
    assert e.residual <= 1e-10
    _check_identities(b, p, e)
    # κ = 0: employment is fixed, ψ has no effect and there is nothing to warn about
    p0 = resolve_params(w, "ignatenko2025", epsilon=4.0, psi=0.3, kappa=0.0)
    assert p0.warnings() == []
    assert resolve_params(w, "ignatenko2025").warnings() == []
    with pytest.raises(ValueError, match="must not be negative"):
        resolve_params(w, "ignatenko2025", psi=-0.1)


def test_ek_krugman_uses_measured_domestic_flows_when_the_dataset_gives_them() -> None:

    from worldorder.data.world import World
    from worldorder.trade.counterfactual import model_baseline

    w = random_world(5, seed=8)
    X = w.trade.copy()
    dom = 2.5 * X.sum(axis=0)
    measured = X + np.diag(dom)
    econ = w.economies.reset_index()
    wm = World.from_frames(econ, measured, tariffs=w.tariffs, domestic_flows=True)
    p = resolve_params(wm, "ek-krugman")
    np.testing.assert_allclose(np.diag(model_baseline(wm, p).X), dom, rtol=1e-12)
    # without measured domestic flows: X_ii = GDP + T − imports with ν = 0
    b = model_baseline(w, resolve_params(w, "ek-krugman"))
    imports = X.sum(axis=0)
    T = imports - X.sum(axis=1)
    np.testing.assert_allclose(np.diag(b.X), w.gdp + T - imports, rtol=1e-12)
