"""The finite-difference gradient: exact on quadratics in the interior, one-sided accuracy on a
bound, and the evaluations it saves when f(x) is known."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from worldorder.errors import NumericsError
from worldorder.numerics import FD_STEP, fd_gradient


def cubic(x: np.ndarray) -> float:
    return float(np.sum(0.5 * x**2 + x**3 / 3) + x[0] * x[-1])


def cubic_gradient(x: np.ndarray) -> np.ndarray:
    g = x + x**2
    g[0] += x[-1]
    g[-1] += x[0]
    return g


@settings(max_examples=40, deadline=None)
@given(arrays(float, st.integers(1, 5), elements=st.floats(0.01, 0.99)))
def test_central_differences_inside_the_box_have_the_documented_accuracy(x: np.ndarray) -> None:
    g = fd_gradient(cubic, x, lower=0.0, upper=1.0)
    # central difference error h^2 |f'''| / 6 = h^2 / 3 here (f''' = 2), or one-sided h |f''| / 2
    near = (x < FD_STEP) | (x > 1 - FD_STEP)
    bound = np.where(near, FD_STEP * 2.0, FD_STEP**2 / 3 + 1e-12)
    assert np.all(np.abs(g - cubic_gradient(x)) <= bound + 1e-9)


def test_on_a_bound_the_difference_is_one_sided_and_uses_the_given_value() -> None:
    calls: list[np.ndarray] = []

    def f(x: np.ndarray) -> float:
        calls.append(x.copy())
        return cubic(x)

    x = np.array([0.0, 0.5, 1.0])
    g = fd_gradient(f, x, fx=cubic(x), lower=0.0, upper=1.0)
    assert len(calls) == 4  # 1 + 2 + 1: f(x) is never recomputed
    exact = cubic_gradient(x)
    assert g[1] == pytest.approx(exact[1], abs=FD_STEP**2)
    assert g[0] == pytest.approx(exact[0], abs=FD_STEP)  # forward difference
    assert g[2] == pytest.approx(exact[2], abs=2 * FD_STEP)  # backward difference
    calls.clear()
    assert np.array_equal(fd_gradient(f, x, lower=0.0, upper=1.0), g)
    assert len(calls) == 5  # f(x) computed once when needed


def test_a_box_of_no_width_gives_zero_and_bad_input_is_refused() -> None:
    assert fd_gradient(cubic, np.array([0.5, 0.2]), lower=[0.5, 0.0], upper=[0.5, 1.0])[0] == 0
    with pytest.raises(NumericsError, match="step must be positive"):
        fd_gradient(cubic, np.array([0.5]), step=0.0)
    with pytest.raises(NumericsError, match="outside its bounds"):
        fd_gradient(cubic, np.array([1.5]), lower=0.0, upper=1.0)
