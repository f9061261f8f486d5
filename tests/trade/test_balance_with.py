"""Transfers set per economy: removing each economy's imbalance with one partner, and results
reported against the no-policy equilibrium of the same closure."""

from __future__ import annotations

import numpy as np
import pytest

from tests.builders import mini_world
from worldorder.errors import ParameterError
from worldorder.trade.counterfactual import (
    bilateral_transfer_change,
    model_baseline,
    run_counterfactual,
)
from worldorder.trade.params import resolve_params


def _bilateral(X: np.ndarray, k: int) -> np.ndarray:
    """Each economy's imports from k minus its exports to k."""
    Y = X.copy()
    np.fill_diagonal(Y, 0.0)
    return Y[k, :] - Y[:, k]


def test_transfer_change_removes_each_imbalance_with_the_partner() -> None:
    w = mini_world()
    chn = w.index("CHN")
    change = bilateral_transfer_change(w, ("CHN",))
    assert abs(change.sum()) < 1e-12 * np.abs(w.trade).sum()
    bil = _bilateral(w.trade, chn)
    others = np.arange(w.n) != chn
    np.testing.assert_allclose(change[others], -bil[others], rtol=1e-12)
    # China loses its whole imbalance: its exports minus imports change sign in ΔT
    np.testing.assert_allclose(change[chn], bil[others].sum(), rtol=1e-12)
    # a group: members keep the imbalances among themselves
    eu = bilateral_transfer_change(w, ("DEU", "FRA"))
    assert abs(eu.sum()) < 1e-12 * np.abs(w.trade).sum()


def test_balance_with_baseline_and_changes_against_it() -> None:
    w = mini_world()
    p = resolve_params(w, "ignatenko2025", balance_with="CHN")
    plain = resolve_params(w, "ignatenko2025")
    assert p.balance_with == ("CHN",) and p.describe()["balance_with"] == "CHN"
    b0, b1 = model_baseline(w, plain), model_baseline(w, p)
    chn = w.index("CHN")
    before, after = _bilateral(b0.X, chn), _bilateral(b1.X, chn)
    others = np.arange(w.n) != chn
    # the new transfers are the old ones changed by ΔT (scaled with world income), summing to 0
    change = bilateral_transfer_change(w, ("CHN",))
    np.testing.assert_allclose(b1.T, (b0.T + change) * b1.Y.sum() / b0.Y.sum(),
                               rtol=1e-8, atol=1e-9 * b1.Y.sum())
    assert abs(b1.T.sum()) < 1e-9 * b1.Y.sum()
    # the largest bilateral imbalance with China (the US's) nearly vanishes; flows follow demand
    usa = w.index("USA")
    assert abs(after[usa]) < 0.05 * abs(before[usa])
    assert np.abs(after[others]).max() < 0.1 * np.abs(before[others]).max()
    # no policy: nothing changes against the no-policy equilibrium of the same closure
    same = run_counterfactual(w, p, w.tariffs)
    np.testing.assert_allclose(same.economies["welfare_pct"], 0.0, atol=1e-9)
    # a policy: solved from that baseline, and different from the plain closure
    t1 = w.tariffs.copy()
    t1[chn, usa] += 0.3
    shocked = run_counterfactual(w, p, t1)
    ref = run_counterfactual(w, plain, t1)
    assert shocked.equilibrium.residual <= 1e-10
    assert not np.allclose(shocked.economies["welfare_pct"], ref.economies["welfare_pct"])


def test_balance_with_is_checked() -> None:
    w = mini_world()
    with pytest.raises(ParameterError, match="balanced closure removes every imbalance"):
        resolve_params(w, "ignatenko2025", closure="balanced", balance_with="CHN")
    with pytest.raises(ParameterError, match="unknown economy or group 'XYZ'"):
        resolve_params(w, "ignatenko2025", balance_with=["CHN", "XYZ"])
    assert resolve_params(w, "ignatenko2025", balance_with="EU").balance_with == ("DEU", "FRA")
