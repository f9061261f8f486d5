"""Sweep designs: seeded draws that depend only on (seed, sample), grids, noise, overrides."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import mini_world
from worldorder.sweeps.design import MANY_SAMPLES, Design, apply_noise, merge_overrides
from worldorder.sweeps.spec import parse_noise, parse_param


def _design(per_point: int = 5, seed: int = 11) -> Design:
    return Design(params=(parse_param("epsilon=uniform(3,8)"),
                          parse_param("kappa=grid(0.3,0.5,0.7)"),
                          parse_param("epsilon[USA]=choice(2,4)")),
                  per_point=per_point, seed=seed)


def test_grid_points_and_sample_layout() -> None:
    d = _design()
    assert d.points == [(0.3,), (0.5,), (0.7,)]
    assert d.total == 15
    assert [d.values(i)["kappa"] for i in (0, 4, 5, 14)] == [0.3, 0.3, 0.5, 0.7]
    # common random numbers: repetition r has the same draws at every grid point
    assert d.values(1)["epsilon"] == d.values(6)["epsilon"] == d.values(11)["epsilon"]
    assert d.values(1)["epsilon"] != d.values(2)["epsilon"]
    assert {d.values(i)["epsilon_USA"] for i in range(15)} <= {2.0, 4.0}


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.permutations(list(range(10))))
def test_draws_depend_only_on_seed_and_sample(seed: int, order: list[int]) -> None:
    d = _design(per_point=10, seed=seed)
    forward = {i: d.values(i) for i in range(10)}
    shuffled = {i: _design(per_point=10, seed=seed).values(i) for i in order}
    assert forward == shuffled
    assert all(3.0 <= v["epsilon"] <= 8.0 for v in forward.values())


def test_draws_are_numpy_spawned_children() -> None:
    """Sample r's parameter generator is the r-th child SeedSequence(seed).spawn would give
    (then its first child), so the draws are NumPy's own, documented streams."""
    d = Design(params=(parse_param("epsilon=uniform(3,8)"),), per_point=4, seed=5)
    child = np.random.SeedSequence(5).spawn(4)[2]
    assert child.spawn_key == (2,)
    want = np.random.default_rng(np.random.SeedSequence(5, spawn_key=(2, 0))).uniform(3, 8)
    assert d.values(2)["epsilon"] == want


def test_merge_overrides_economy_on_top() -> None:
    specs = (parse_param("epsilon=uniform(3,8)"), parse_param("epsilon[USA]=2,4"))
    got = merge_overrides({"kappa": 0.5}, specs, {"epsilon": 5.0, "epsilon_USA": 2.0})
    assert got == {"kappa": 0.5, "epsilon": {"default": 5.0, "USA": 2.0}}
    only = merge_overrides({"epsilon": {"default": 4.0, "CHN": 3.0}},
                           (parse_param("epsilon[USA]=2,4"),), {"epsilon_USA": 4.0})
    assert only == {"epsilon": {"default": 4.0, "CHN": 3.0, "USA": 4.0}}


def test_lognormal_noise_mean_one_zero_and_domestic_kept() -> None:
    w = mini_world()
    trade = w.trade.copy()
    trade[0, 1] = 0.0
    w = w.with_tariffs(w.tariffs)
    object.__setattr__(w, "trade", trade)
    noise = (parse_noise("flows=lognormal(0.2)"), parse_noise("gdp=lognormal(0.1)"))
    logs = []
    for k in range(400):
        rngs = [np.random.default_rng([k, 0]), np.random.default_rng([k, 1])]
        nw = apply_noise(w, noise, rngs)
        assert nw.trade[0, 1] == 0.0
        assert np.array_equal(np.diag(nw.trade), np.diag(w.trade))
        logs.append(np.log(nw.trade[1, 0] / w.trade[1, 0]))
        assert nw.gdp[0] != w.gdp[0]
    logs_arr = np.array(logs)
    # log factor ~ N(-σ²/2, σ²): mean one, standard deviation σ
    assert abs(logs_arr.mean() + 0.02) < 4 * 0.2 / np.sqrt(400)
    assert abs(logs_arr.std() - 0.2) < 0.03
    assert np.array_equal(w.trade, trade)  # the original is untouched


def test_anchors_spread_over_the_distribution() -> None:
    uni = parse_param("epsilon=uniform(3,8)").dist
    assert uni.anchors(5) == [3.5, 4.5, 5.5, 6.5, 7.5]
    tri = parse_param("epsilon=triangular(2,4,8)").dist.anchors(3)
    assert 2 < tri[0] < tri[1] < tri[2] < 8
    assert parse_param("kappa=grid(0.1,0.2,0.3,0.4,0.5,0.6)").dist.anchors(3) == \
        [0.1, 0.3, 0.6]
    assert parse_param("nu=normal(0.1,0.02)").dist.anchors(3)[1] == 0.1
    d = Design(params=(parse_param("epsilon=uniform(3,8)"), parse_param("psi=0.1")))
    anchors = d.anchors()
    assert [a["epsilon"] for a in anchors] == [3.5, 4.5, 5.5, 6.5, 7.5]
    assert {a["psi"] for a in anchors} == {0.1}
    assert d.nearest_anchor({"epsilon": 7.9, "psi": 0.1}, anchors) == 4
    assert d.nearest_anchor({"epsilon": 3.0, "psi": 0.1}, anchors) == 0
    two = Design(params=(parse_param("epsilon=uniform(3,8)"), parse_param("kappa=grid(0,1)")))
    assert len(two.anchors()) == 6


def test_large_designs_have_closer_anchors() -> None:
    eps = parse_param("epsilon=uniform(3,8)")
    assert len(Design(params=(eps,), per_point=MANY_SAMPLES - 1).anchors()) == 5
    big = [a["epsilon"] for a in Design(params=(eps,), per_point=MANY_SAMPLES).anchors()]
    assert len(big) == 17 and big == sorted(big) and big[0] > 3 and big[-1] < 8
    np.testing.assert_allclose(np.diff(big), 5 / 17)
    two = Design(params=(eps, parse_param("kappa=uniform(0,1)")), per_point=MANY_SAMPLES)
    assert len(two.anchors()) == 25
