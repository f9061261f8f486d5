"""Power indices: shares, CINC from components, net power, and the index models on the
bundled panels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from worldorder.data import load_world
from worldorder.errors import PanelError, SecurityModelError
from worldorder.security import cinc_from_components, get_model, net_power, power_frame, shares

positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(arrays(float, st.integers(1, 30), elements=positive))
def test_shares_sum_to_one(x: np.ndarray) -> None:
    s = shares(x)
    assert s.sum() == pytest.approx(1.0)
    assert (s >= 0).all()


def test_shares_refuse_negative_or_zero_totals() -> None:
    with pytest.raises(SecurityModelError, match="negative"):
        shares([1.0, -1.0])
    with pytest.raises(SecurityModelError, match="sum to zero"):
        shares([0.0, 0.0])


@settings(max_examples=30, deadline=None)
@given(arrays(float, st.tuples(st.integers(2, 12), st.just(6)), elements=positive))
def test_cinc_from_complete_components_sums_to_one(x: np.ndarray) -> None:
    c = cinc_from_components(x)
    assert c.sum() == pytest.approx(1.0)


def test_cinc_averages_only_reported_components() -> None:
    x = np.array([[1.0, 1, 1, 1, 1, 1], [1.0, 1, 1, 1, 1, np.nan]])
    c = cinc_from_components(x)
    # state 2 reports five components, each a 50% share; state 1 also holds all of the sixth
    assert c[1] == pytest.approx(0.5) and c[0] == pytest.approx((5 * 0.5 + 1.0) / 6)
    x = np.array([[3.0] * 6, [1.0] * 6])
    assert cinc_from_components(x) == pytest.approx([0.75, 0.25])


def test_recomputed_cinc_tracks_the_published_one() -> None:
    pub = get_model("cinc").values(2010)
    rec = get_model("cinc", recompute=True).values(2010)
    assert np.corrcoef(pub.to_numpy(), rec.to_numpy())[0, 1] > 0.999
    assert rec.sum() == pytest.approx(1.0, abs=0.01)  # a few states miss a component


def test_net_power_is_gdp_times_gdp_per_capita() -> None:
    assert net_power(np.array([10.0, 20.0]), np.array([5.0, 40.0])) == pytest.approx([20, 10])
    with pytest.raises(SecurityModelError, match="differ"):
        net_power(np.ones(2), np.ones(3))


def test_index_frames_have_shares_summing_to_one_per_year() -> None:
    for name in ("cinc", "gdp", "milex", "net-power"):
        f = power_frame(name, [2000, 2020])
        sums = f.groupby("year")["share"].sum()
        assert sums.to_numpy() == pytest.approx([1.0, 1.0]), name


def test_gdp_index_matches_world_2024() -> None:
    world = load_world("world-2024")
    gdp = get_model("gdp").values(2024)
    for code in ("USA", "CHN", "DEU", "JPN", "IND"):
        got = gdp[code] / 1000
        assert got == pytest.approx(world.gdp[world.index(code)], rel=0.03), code


def test_net_power_ranks_the_us_above_china_where_cinc_does_not() -> None:
    cinc = get_model("cinc").values(2020)
    npw = get_model("net-power").values(2020)
    assert cinc["CHN"] > cinc["USA"]
    assert npw["USA"] > 3 * npw["CHN"]


def test_index_years_outside_the_panels_are_errors() -> None:
    with pytest.raises(PanelError, match="1816-2022"):
        get_model("cinc").values(2024)
    with pytest.raises(PanelError, match="1816-2022"):
        get_model("net-power").values(2023)
    with pytest.raises(SecurityModelError, match="'constant' or 'current'"):
        get_model("milex", prices="nominal")
