"""The block-structured Newton step equals the dense one; Jacobian reuse finds the same solution."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import random_world
from worldorder.trade.baseline import baseline_from_world
from worldorder.trade.equilibrium import _System, solve_equilibrium
from worldorder.trade.params import resolve_params

OVERRIDES = [{}, {"revenue": "lump_sum"}, {"numeraire": "world_income"},
             {"kappa": 1.5, "nu": {"default": 0.2, "E01": 0.3}}, {"kappa": 0.0, "psi": 0.0}]


def _system(n: int, seed: int, transfers: str, preset: str = "ignatenko2025", **over):
    w = random_world(n, seed)
    p = resolve_params(w, preset, **over)
    b = baseline_from_world(w.trade, w.gdp, w.tariffs, p.nu)
    rng = np.random.default_rng(seed)
    t1 = b.t0 + 0.3 * rng.uniform(0, 1, (n, n)) * ~np.eye(n, dtype=bool)
    dhat = np.exp(rng.normal(0, 0.1, (n, n)))
    return b, p, t1, _System(b, p, t1, dhat, transfers)  # type: ignore[arg-type]


@pytest.mark.parametrize("over", OVERRIDES)
@pytest.mark.parametrize("transfers", ["fixed", "proportional", "none"])
def test_structured_step_equals_the_dense_lu_step(over: dict, transfers: str) -> None:
    _, _, _, system = _system(7, 3, transfers, **over)
    rng = np.random.default_rng(1)
    z = rng.normal(0.0, 0.05, 2 * system.n)
    s = system.state(z)
    blocks = system.blocks(s)
    assert blocks.structured()
    step = blocks.solve(-s["F"])
    dense = np.linalg.solve(blocks.dense(), -s["F"])
    np.testing.assert_allclose(step, dense, rtol=1e-9, atol=1e-12 * np.abs(dense).max())
    # the dense form is dF/dz: check one column against a central difference
    h = 1e-6
    dz = np.zeros_like(z)
    dz[2] = h
    col = (system.residual(z + dz) - system.residual(z - dz)) / (2 * h)
    np.testing.assert_allclose(blocks.dense()[:, 2], col, atol=1e-7)


def test_badly_conditioned_labour_block_falls_back_to_the_dense_lu() -> None:
    _, _, _, system = _system(5, 2, "fixed")
    s = system.state(np.zeros(2 * system.n))
    blocks = system.blocks(s)
    la = blocks.la.copy()
    la[0] = 1e-9 * np.abs(la).max()  # a near-zero pivot: the Woodbury route is unsafe
    object.__setattr__(blocks, "la", la)
    assert not blocks.structured()
    np.testing.assert_allclose(blocks.solve(-s["F"]), np.linalg.solve(blocks.dense(), -s["F"]),
                               rtol=1e-9, atol=1e-14)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 8), seed=st.integers(0, 10_000),
       preset=st.sampled_from(["ignatenko2025", "ek-krugman", "armington"]),
       transfers=st.sampled_from(["fixed", "proportional", "none"]))
def test_jacobian_reuse_finds_the_same_equilibrium(n: int, seed: int, preset: str,
                                                   transfers: str) -> None:
    b, p, t1, _ = _system(n, seed, transfers, preset)
    fresh = solve_equilibrium(b, p, t1, transfers=transfers)  # type: ignore[arg-type]
    reuse = solve_equilibrium(b, p, t1, transfers=transfers,  # type: ignore[arg-type]
                              jacobian="reuse")
    assert reuse.residual <= 1e-10
    np.testing.assert_allclose(reuse.welfare, fresh.welfare, rtol=1e-9)
    np.testing.assert_allclose(reuse.X1, fresh.X1, rtol=1e-8)
    assert reuse.factorization is not None and fresh.factorization is None
    # a factorisation from another parameter set is a valid start: chord steps, then Newton
    p2 = p.with_values(epsilon=p.epsilon * 1.3)
    other = solve_equilibrium(b, p2, t1, transfers=transfers)  # type: ignore[arg-type]
    again = solve_equilibrium(b, p2, t1, transfers=transfers,  # type: ignore[arg-type]
                              jacobian="reuse", guess=reuse.z,
                              factorization=reuse.factorization)
    np.testing.assert_allclose(again.welfare, other.welfare, rtol=1e-9)


def test_jacobian_option_is_checked() -> None:
    b, p, t1, _ = _system(4, 1, "fixed")
    with pytest.raises(ValueError, match="fresh"):
        solve_equilibrium(b, p, t1, jacobian="sometimes")  # type: ignore[arg-type]


@pytest.mark.parametrize("over", OVERRIDES)
@pytest.mark.parametrize("transfers", ["fixed", "proportional"])
def test_residual_from_products_with_L0_equals_the_formed_shares(over: dict,
                                                                 transfers: str) -> None:
    """With one ε the residual sums over λ' are products with L0; the other route (per-importer
    ε, or far from the solution) forms λ'. Both give the same state and Jacobian."""
    _, _, _, system = _system(9, 5, transfers, **over)
    assert system.L0 is not None
    z = np.random.default_rng(2).normal(0.0, 0.1, 2 * system.n)
    fast = system.arrays(system.state(z))
    system.L0 = None  # the route with λ' formed from the exponents
    formed = system.state(z)
    for key in ("F", "g", "Ep", "D", "lnP", "Lp", "LpQ", "H"):
        np.testing.assert_allclose(fast[key], formed[key], rtol=1e-12, atol=1e-15, err_msg=key)
    np.testing.assert_allclose(system.blocks(fast).dense(), system.blocks(formed).dense(),
                               rtol=1e-11, atol=1e-14)


def _pure_newton(monkeypatch: pytest.MonkeyPatch) -> None:
    import worldorder.trade.equilibrium as eqm

    monkeypatch.setattr(eqm, "_CHORD_START", -1.0)  # no chord step ever starts


@pytest.mark.parametrize("preset", ["ignatenko2025", "ek-krugman", "armington"])
@pytest.mark.parametrize("transfers", ["fixed", "proportional", "none"])
def test_chord_finish_reaches_newtons_solution_with_fewer_factorisations(
        preset: str, transfers: str, monkeypatch: pytest.MonkeyPatch) -> None:
    b, p, t1, _ = _system(12, 7, transfers, preset)
    t1 = b.t0 + 0.6 * (t1 - b.t0)  # a large shock: several Newton steps
    mixed = solve_equilibrium(b, p, t1, transfers=transfers)  # type: ignore[arg-type]
    with monkeypatch.context() as m:
        _pure_newton(m)
        newton = solve_equilibrium(b, p, t1, transfers=transfers)  # type: ignore[arg-type]
    assert newton.chord_steps == 0
    assert mixed.iterations <= newton.iterations
    assert mixed.iterations + mixed.chord_steps >= newton.iterations
    # chord steps go on to tol/1000 (or until they stop contracting), so the solution is as
    # accurate as Newton's last quadratic step
    assert mixed.residual <= 1e-10
    if mixed.chord_steps:
        assert mixed.residual <= 1e-12
    np.testing.assert_allclose(mixed.welfare, newton.welfare, rtol=1e-11)
    np.testing.assert_allclose(mixed.X1, newton.X1, rtol=1e-10, atol=1e-12 * b.X.max())


def test_cold_solve_of_a_tariff_war_saves_factorisations(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A large shock: chord steps replace Newton's last factorisations (the saving measured in
    benchmarks/bench_solver.py)."""
    b, p, t1, _ = _system(12, 7, "fixed")
    t1 = b.t0 + 2.0 * (t1 - b.t0)
    eq = solve_equilibrium(b, p, t1)
    _pure_newton(monkeypatch)
    newton = solve_equilibrium(b, p, t1)
    assert eq.chord_steps >= 2
    assert eq.iterations < newton.iterations


def test_factor_solution_returns_the_jacobian_at_the_solution() -> None:
    b, p, t1, _ = _system(8, 4, "fixed")
    eq = solve_equilibrium(b, p, t1, dhat=None, jacobian="reuse", factor_solution=True)
    plain = solve_equilibrium(b, p, t1, dhat=None, jacobian="reuse")
    assert eq.factorization is not None and eq.iterations == plain.iterations + 1
    np.testing.assert_array_equal(eq.welfare, plain.welfare)
    at = _System(b, p, t1, None, "fixed")
    J = at.jacobian(at.state(eq.z))
    rhs = np.random.default_rng(3).normal(size=2 * b.n)
    np.testing.assert_allclose(eq.factorization.solve(rhs), np.linalg.solve(J, rhs),
                               rtol=1e-9, atol=1e-12)
