"""Bands against NumPy's percentiles; the tornado ranking on outcomes of known sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from worldorder.sweeps.bands import bands, tornado


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 40), st.integers(1, 4)),
              elements=st.floats(-50, 50)))
def test_bands_are_numpy_percentiles(values: np.ndarray) -> None:
    n, k = values.shape
    codes = [f"E{j}" for j in range(k)]
    frame = pd.DataFrame({"sample": np.repeat(np.arange(n), k),
                          "economy": codes * n, "welfare_pct": values.ravel()})
    out = bands(frame, ["welfare_pct"])
    assert list(out["economy"]) == codes
    for j, code in enumerate(codes):
        row = out[out["economy"] == code].iloc[0]
        assert row["samples"] == n
        for q in (5, 50, 95):
            assert row[f"welfare_pct_p{q}"] == np.percentile(values[:, j], q)


def test_tornado_ranks_the_parameter_that_moves_the_outcome() -> None:
    rng = np.random.default_rng(0)
    n = 400
    a, b = rng.uniform(3, 8, n), rng.uniform(0, 1, n)
    samples = pd.DataFrame({"sample": np.arange(n), "a": a, "b": b,
                            "g": np.tile([0.3, 0.7], n // 2)})
    y = -2.0 * a + 0.1 * b + 0.5 * samples["g"].to_numpy()
    econ = pd.DataFrame({"sample": np.arange(n), "economy": "USA", "welfare_pct": y})
    out = tornado(samples, econ, ["b", "g", "a"], "USA")
    assert list(out["parameter"]) == ["a", "g", "b"]
    top = out.iloc[0]
    assert top["spearman"] < -0.99
    lo, hi = np.percentile(a, 10), np.percentile(a, 90)
    assert (top["low"], top["high"]) == (lo, hi)
    mask_lo, mask_hi = a <= lo, a >= hi
    assert top["swing"] == np.median(y[mask_hi]) - np.median(y[mask_lo])
    grid = out[out["parameter"] == "g"].iloc[0]
    assert (grid["low"], grid["high"]) == (0.3, 0.7)  # a grid: its lowest and highest value
