"""Concentration measures (closed forms and properties), polarity tables, regional balances,
and power-transition parity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from worldorder.errors import SecurityModelError
from worldorder.security import (
    REGIONS,
    Region,
    effective_poles,
    first_overtaking,
    get_model,
    hhi,
    parity,
    ray_singer_con,
    regional_balance,
    regional_balance_table,
    resolve_region,
)

positive = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False)


def test_a_bipolar_world_has_two_effective_poles() -> None:
    assert effective_poles([0.5, 0.5]) == pytest.approx(2.0)
    assert effective_poles([40.0, 40.0, 1e-9]) == pytest.approx(2.0)
    assert effective_poles([1.0, 0.0, 0.0]) == pytest.approx(1.0)
    assert effective_poles(np.ones(7)) == pytest.approx(7.0)


def test_ray_singer_con_closed_forms() -> None:
    assert ray_singer_con(np.ones(5)) == pytest.approx(0.0)
    assert ray_singer_con([1.0, 0.0, 0.0, 0.0]) == pytest.approx(1.0)
    # two states with shares 0.75/0.25: sqrt((0.625 - 0.5)/0.5) = 0.5
    assert ray_singer_con([3.0, 1.0]) == pytest.approx(0.5)
    assert np.isnan(ray_singer_con([1.0]))


@settings(max_examples=40, deadline=None)
@given(arrays(float, st.integers(2, 25), elements=positive))
def test_concentration_bounds(x: np.ndarray) -> None:
    n = x.size
    assert 1.0 / n - 1e-12 <= hhi(x) <= 1.0 + 1e-12
    assert 1.0 - 1e-9 <= effective_poles(x) <= n + 1e-9
    assert -1e-12 <= ray_singer_con(x) <= 1.0 + 1e-12
    # scale invariance
    assert hhi(3.0 * x) == pytest.approx(hhi(x))


def test_polarity_table_by_year() -> None:
    t = get_model("polarity").table([1990, 2022]).set_index("year")
    assert t.loc[1990, "leader"] == "USA" and t.loc[2022, "leader"] == "CHN"
    assert t.loc[2022, "effective_poles"] == pytest.approx(1 / t.loc[2022, "hhi"])
    top5 = get_model("polarity", system=5).table([2022]).iloc[0]
    assert top5["n"] == 5 and 1 < top5["effective_poles"] < 5
    mp = get_model("polarity", system="major_powers").table([1950]).iloc[0]
    assert mp["n"] == 5  # USA, UK, France, USSR, China (COW)
    with pytest.raises(SecurityModelError, match="ends in 2016"):
        get_model("polarity", system="major_powers").table([2020])
    with pytest.raises(SecurityModelError, match="system must be"):
        get_model("polarity", system="some").table([2020])


def test_regions_and_user_defined_regions() -> None:
    assert set(REGIONS) == {"europe", "northeast_asia", "gulf", "south_asia"}
    assert resolve_region("Northeast Asia").name == "northeast_asia"
    r = resolve_region(["IND", "PAK", "CHN"])
    assert r.members == ("IND", "PAK", "CHN")
    with pytest.raises(SecurityModelError, match="unknown region 'Arctic'"):
        resolve_region("Arctic")
    with pytest.raises(SecurityModelError, match="no members"):
        Region("empty", ())


def test_regional_balance_arithmetic() -> None:
    v = pd.Series({"AAA": 6.0, "BBB": 3.0, "CCC": 1.0, "DDD": np.nan})
    b = regional_balance(v, Region("x", ("AAA", "BBB", "CCC", "DDD")), exclude={"CCC"})
    assert b["leader"] == "AAA" and b["leader_share"] == pytest.approx(0.6)
    assert b["balance_ratio"] == pytest.approx(4 / 6)
    assert b["balancer_ratio"] == pytest.approx(3 / 6)
    assert b["missing"] == "DDD" and b["n_states"] == 3
    with pytest.raises(SecurityModelError, match="US cannot be a local power"):
        regional_balance(v, ["USA", "AAA"])


def test_regional_balance_table_for_2022() -> None:
    t = regional_balance_table("milex", [2022]).set_index("region")
    assert t.loc["northeast_asia", "leader"] == "CHN"
    assert t.loc["south_asia", "leader"] == "IND"
    assert t.loc["europe", "balance_ratio"] > 1


def test_parity_band() -> None:
    assert parity([0.79, 0.8, 1.0, 1.2, 1.21]).tolist() == [False, True, True, True, False]
    with pytest.raises(SecurityModelError):
        parity(1.0, lower=1.3, upper=1.2)


def test_china_first_passes_the_us_on_cinc_in_1995() -> None:
    assert first_overtaking("cinc", "USA", "CHN", range(1946, 2023)) == 1995
    assert first_overtaking("milex", "USA", "CHN", range(1990, 2025)) is None


def test_power_transition_table() -> None:
    t = get_model("power-transition").table([1970, 2000, 2022]).set_index("year")
    assert t.loc[1970, "challenger"] == "RUS" and bool(t.loc[1970, "parity"])
    assert t.loc[2022, "challenger"] == "CHN" and t.loc[2022, "ratio"] > 1.2
    assert 0 <= t.loc[2000, "q"] <= 1
    assert t["transition_risk"].tolist() == [bool(p and d) for p, d in
                                             zip(t["parity"], t["dissatisfied"], strict=True)]
    # outside the UNGA years the dissatisfaction is missing, not extrapolated
    m = get_model("power-transition", index="milex").table([2024]).iloc[0]
    assert np.isnan(m["q"]) and m["dissatisfied"] is None
