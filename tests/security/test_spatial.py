"""The spatial demand model: weights, the fixed point of the reaction function, and the 2SLS
estimator recovering known parameters from data it simulates."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worldorder.errors import SecurityModelError
from worldorder.security import (
    estimate_spatial_panel,
    get_model,
    simulate_panel,
    spatial_fixed_point,
    steady_state,
)
from worldorder.security.spatial import reaction_iterates, row_standardise


def _ring(n: int) -> np.ndarray:
    A = np.zeros((n, n))
    for i in range(n):
        A[i, (i + 1) % n] = A[i, (i - 1) % n] = 1.0
    return A


def test_row_standardise() -> None:
    A = np.array([[1.0, 2, 2], [0, 0, 0], [1, 1, 0]])
    W = row_standardise(A)
    assert np.diag(W) == pytest.approx(0)
    assert W.sum(axis=1) == pytest.approx([1, 0, 1])
    with pytest.raises(SecurityModelError, match="square"):
        row_standardise(np.ones((2, 3)))


@settings(max_examples=30, deadline=None)
@given(st.integers(3, 15), st.floats(-0.9, 0.9), st.integers(0, 10_000))
def test_fixed_point_of_the_reaction_function(n: int, rho: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    W = row_standardise(_ring(n) + (rng.random((n, n)) < 0.3))
    c = rng.normal(size=n)
    m = spatial_fixed_point(W, rho, c)
    assert m == pytest.approx(rho * W @ m + c, abs=1e-10)
    it = reaction_iterates(W, rho, c, np.zeros(n), 600)
    assert it == pytest.approx(m, abs=1e-8)


def test_steady_state() -> None:
    W = row_standardise(_ring(6))
    xb = np.arange(6.0)
    m = steady_state(W, 0.3, 0.5, xb)
    assert m == pytest.approx(0.3 * W @ m + 0.5 * m + xb)


@pytest.mark.parametrize(("rho", "phi", "seed"), [(0.3, 0.4, 1), (-0.4, 0.6, 2)])
def test_estimator_recovers_simulated_parameters(rho: float, phi: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, T = 30, 80
    A = (rng.random((n, n)) < 0.2).astype(float)
    W = row_standardise(np.maximum(A, A.T) + _ring(n))
    X = rng.normal(size=(T, n, 2))
    beta = np.array([1.0, -0.5])
    m = simulate_panel([W] * T, X, beta, rho, phi, rng.normal(size=n), 0.5, rng)
    est = estimate_spatial_panel(m, X, [W] * T, ["a", "b"])
    assert est["rho"] == pytest.approx(rho, abs=0.08)
    assert est["phi"] == pytest.approx(phi, abs=0.05)
    assert est["a"] == pytest.approx(1.0, abs=0.05) and est["b"] == pytest.approx(-0.5, abs=0.05)
    # the truth lies within four standard errors (plus the Nickell bias of phi)
    assert abs(est["rho"] - rho) < 4 * est.se[0] + 0.02
    assert est.n_obs == n * (T - 1) and est.first_stage_f > 10


def test_estimator_handles_missing_ally_years() -> None:
    rng = np.random.default_rng(5)
    n, T = 20, 60
    W = row_standardise(_ring(n) + (rng.random((n, n)) < 0.3))
    X = rng.normal(size=(T, n, 1))
    m = simulate_panel([W] * T, X, np.array([1.0]), 0.2, 0.5, rng.normal(size=n), 0.3, rng)
    m[:10, :5] = np.nan  # five allies join late
    est = estimate_spatial_panel(m, X, [W] * T)
    assert est["rho"] == pytest.approx(0.2, abs=0.1)
    assert est.n_obs < n * (T - 1)


def test_estimator_input_errors() -> None:
    with pytest.raises(SecurityModelError, match="weight matrices"):
        estimate_spatial_panel(np.zeros((5, 3)), np.zeros((5, 3, 1)), [np.eye(3)] * 4)
    with pytest.raises(SecurityModelError, match="weights must be"):
        get_model("spatial-demand", weights="distance").fit()


def test_nato_estimates_are_finite_with_standard_errors() -> None:
    est = get_model("spatial-demand").fit()
    t = est.table()
    assert list(t["term"]) == ["rho", "phi", "log_gdp", "log_threat"]
    assert np.isfinite(t["estimate"]).all() and (t["std_error"] > 0).all()
    assert est.n_units >= 25 and est.n_years >= 30
    assert 0 < est["phi"] < 1
