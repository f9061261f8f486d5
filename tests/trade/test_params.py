"""The labour-domain check reads E/Y from a cache that follows the World and ν."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.builders import random_world
from worldorder.errors import ParameterError
from worldorder.trade.baseline import baseline_from_world
from worldorder.trade.params import _spending_ratio, resolve_params


def _direct(world, nu: np.ndarray) -> np.ndarray:
    b = baseline_from_world(world.trade, world.gdp, world.tariffs, nu,
                            domestic_flows=world.domestic_flows)
    return b.E / b.Y


def test_spending_ratio_follows_the_world_and_nu() -> None:
    w1 = random_world(6, 3)
    X = w1.trade.copy()
    X[0, 1:] *= 3.0  # economy 0 exports three times as much: a larger surplus
    w2 = replace(w1, trade=X)
    nus = [np.full(6, 0.1), np.full(6, 0.3)]
    for _ in range(2):  # the second round reads the cache
        for w in (w1, w2):
            for nu in nus:
                np.testing.assert_array_equal(_spending_ratio(w, nu), _direct(w, nu))
    assert not np.allclose(_direct(w1, nus[0]), _direct(w2, nus[0]))


def test_domain_check_of_a_changed_world_is_its_own() -> None:
    w1 = random_world(6, 3)
    ratio = _direct(w1, resolve_params(w1).nu)
    k = int(np.argmin(ratio))
    kappa = 0.5 * (ratio[k] / (1.0 - ratio[k])) if ratio[k] < 1 else 1.0
    resolve_params(w1, kappa=kappa)  # inside the domain, and now cached
    X = w1.trade.copy()
    X[k, :] *= 50.0  # a much larger surplus for the same economy
    np.fill_diagonal(X, np.diag(w1.trade))
    w2 = replace(w1, trade=X)
    with pytest.raises(ParameterError, match="outside the model's domain"):
        resolve_params(w2, kappa=kappa)
