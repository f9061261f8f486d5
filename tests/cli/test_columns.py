"""The Deficit column: the change of imports minus exports in points of GDP."""

from __future__ import annotations

import numpy as np
import pytest

from tests.builders import random_world
from worldorder.cli.columns import with_derived
from worldorder.trade.counterfactual import model_baseline, run_counterfactual
from worldorder.trade.params import resolve_params


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_deficit_in_points_of_gdp_is_the_identity(seed: int) -> None:
    world = random_world(7, seed)
    params = resolve_params(world, "ignatenko2025")
    t1 = world.tariffs.copy()
    t1[:, 0] += 0.25  # economy 0 raises a tariff on everyone
    np.fill_diagonal(t1, 0.0)
    out = run_counterfactual(world, params, t1)
    econ = out.economies
    base = model_baseline(world, params)
    X0 = base.X.copy()
    np.fill_diagonal(X0, 0.0)
    d0 = 100 * (X0.sum(axis=0) - X0.sum(axis=1)) / base.Y
    d1 = econ["imports_to_gdp_after"] - econ["exports_to_gdp_after"]
    np.testing.assert_allclose(econ["deficit_change_pp_gdp"], d1 - d0, atol=1e-9)
    # runs stored before the column existed get it back from the ratios
    derived = with_derived(econ.drop(columns="deficit_change_pp_gdp"))
    np.testing.assert_allclose(derived["deficit_change_pp_gdp"], econ["deficit_change_pp_gdp"],
                               atol=1e-9)
    # and it stays finite where the change relative to the deficit's own size explodes
    assert np.isfinite(econ["deficit_change_pp_gdp"]).all()
