"""The grid-then-Brent maximiser: closed-form maxima, several local maxima, undefined regions,
bounds that bind, wide bounds, and the evaluations it reports."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worldorder.errors import ConvergenceError, NumericsError
from worldorder.numerics import maximise_scalar, search_grid


@settings(max_examples=40, deadline=None)
@given(c=st.floats(-2.0, 3.0), a=st.floats(0.1, 50.0), upper=st.floats(0.5, 2.0))
def test_a_concave_quadratic_peaks_at_its_vertex_or_at_the_binding_bound(
        c: float, a: float, upper: float) -> None:
    res = maximise_scalar(lambda x: -a * (x - c) ** 2, 0.0, upper, xatol=1e-9)
    expected = min(max(c, 0.0), upper)
    assert res.x == pytest.approx(expected, abs=1e-6)
    assert res.fx == pytest.approx(-a * (expected - c) ** 2, abs=1e-9)
    assert res.converged
    if c >= upper or c <= upper - 2e-4:  # clear of the tolerance band 1e-4
        assert res.at_upper == (c >= upper)
    if c <= 0.0 or c >= 2e-4:
        assert res.at_lower == (c <= 0.0)


def test_the_global_maximum_among_several_local_ones() -> None:
    # local maxima at 0.1 (height 1) and 0.7 (height 2): the grid sees both, Brent refines 0.7
    def f(x: float) -> float:
        return math.exp(-((x - 0.1) / 0.05) ** 2) + 2 * math.exp(-((x - 0.7) / 0.05) ** 2)

    res = maximise_scalar(f, 0.0, 1.0, xatol=1e-9)
    assert res.x == pytest.approx(0.7, abs=1e-6) and res.fx == pytest.approx(2.0, abs=1e-10)
    assert not res.at_upper and not res.at_lower


def test_undefined_values_are_never_chosen_and_all_undefined_is_an_error() -> None:
    res = maximise_scalar(lambda x: -x if x < 0.5 else math.nan, 0.0, 1.0)
    assert res.x == 0.0 and res.at_lower
    res = maximise_scalar(lambda x: x if x < 0.5 else -math.inf, 0.0, 1.0)
    assert res.x == pytest.approx(0.5, abs=1e-6)
    with pytest.raises(ConvergenceError, match="no equilibrium for any value of the rate"):
        maximise_scalar(lambda x: math.inf, 0.0, 1.0, what="the rate")


@pytest.mark.parametrize("upper", [1.0, 10.0, 100.0, 1e6])
def test_a_wide_bound_keeps_the_interior_optimum_and_costs_a_few_points_per_decade(
        upper: float) -> None:
    calls: list[float] = []

    def f(x: float) -> float:
        calls.append(x)
        return 1.0 - (x - 0.23) ** 2 / (1.0 + x) if x < 5 else -math.inf  # undefined above 5

    res = maximise_scalar(f, 0.0, upper, xatol=1e-8)
    assert res.x == pytest.approx(0.23, abs=1e-6) and not res.at_upper
    assert res.evaluations == len(calls)
    decades = math.log10(upper) if upper > 1 else 0
    assert len(search_grid(0.0, upper, 31)) <= 31 + 3 * decades + 1
    assert res.evaluations < 31 + 3 * decades + 1 + 60


def test_an_increasing_function_is_reported_at_the_upper_bound_even_when_wide() -> None:
    res = maximise_scalar(lambda x: math.log1p(x), 0.0, 100.0)
    assert res.x == pytest.approx(100.0, abs=1e-3) and res.at_upper


def test_the_grid_is_linear_up_to_the_scale_then_geometric() -> None:
    assert np.array_equal(search_grid(0.0, 1.0, 11), np.linspace(0.0, 1.0, 11))
    assert np.array_equal(search_grid(0.2, 0.7, 5), np.linspace(0.2, 0.7, 5))
    g = search_grid(0.0, 100.0, 11)
    assert np.array_equal(g[:11], np.linspace(0.0, 1.0, 11))
    assert g[-1] == 100.0 and np.all(np.diff(g) > 0)
    assert g[11:-1] == pytest.approx(10 ** (np.arange(1, 6) / 3))
    assert len(search_grid(0.0, 1e300, 31)) == 31 + 900


def test_bad_intervals_are_refused() -> None:
    for lo, hi in ((1.0, 1.0), (1.0, 0.0), (0.0, math.inf), (math.nan, 1.0)):
        with pytest.raises(NumericsError, match="must be finite and non-empty"):
            maximise_scalar(abs, lo, hi)
    with pytest.raises(NumericsError, match="points >= 2"):
        maximise_scalar(abs, 0.0, 1.0, points=1)


@pytest.mark.parametrize("upper", [3.0, 5.0, 10.0])
def test_a_rise_up_to_the_edge_of_the_domain_beats_an_interior_peak(upper: float) -> None:
    """The shape of a deficit economy's welfare under fixed transfers (issue 12, item 4): a
    peak of 1 at 0.25, then a rise to 5 up to 4.1, where the equilibrium ceases to exist. The
    grid (…, 2.15, 4.64, 10) misses the rise's top; the edge is found and reported."""
    def f(x: float) -> float:
        if x >= 4.1:
            return -math.inf
        return math.exp(-((x - 0.25) / 0.2) ** 2) + max(0.0, x - 2.0) * 5 / 2.1

    res = maximise_scalar(f, 0.0, upper, xatol=1e-8)
    if upper < 4.1:  # the bound binds before the edge
        assert res.x == pytest.approx(upper, abs=1e-6) and res.at_upper and not res.at_edge
    else:
        assert res.x == pytest.approx(4.1, abs=1e-6) and res.at_edge and not res.at_upper
        assert res.fx == pytest.approx(5.0, abs=1e-5)


def test_an_edge_after_a_fall_is_no_optimum() -> None:
    """f falls towards the edge: the interior peak stays, no bisection is spent."""
    calls: list[float] = []

    def f(x: float) -> float:
        calls.append(x)
        return -(x - 0.3) ** 2 if x < 2.0 else -math.inf

    res = maximise_scalar(f, 0.0, 10.0, xatol=1e-9)
    assert res.x == pytest.approx(0.3, abs=1e-6) and not res.at_edge
    assert not [x for x in calls if 1.0 < x < 2.0 and x not in search_grid(0.0, 10.0, 31)]
