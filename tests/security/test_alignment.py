"""Alignment between the US and China: components, hedging, blocs, movement, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import bundled_record as record
from worldorder.errors import SecurityModelError
from worldorder.security.alignment import (
    Alignment,
    alignment_table,
    blocs,
    membership_component,
    move_alignment,
    trade_component,
)


def test_trade_component_closed_form() -> None:
    # A trades 3 with the US and 1 with China (both ways): d = (3 - 1)/(3 + 1) = 0.5
    codes = ["USA", "CHN", "A"]
    X = np.array([[0, 0, 2.0], [0, 0, 0.5], [1.0, 0.5, 0]])
    out = trade_component(X, np.array([10.0, 10.0, 4.0]), codes).set_index("economy")
    assert out.loc["A", "T_us"] == pytest.approx(0.75) and out.loc["A", "trade"] == \
        pytest.approx(0.5)
    assert out.loc["USA", "trade"] == 1.0 and out.loc["CHN", "trade"] == -1.0
    with pytest.raises(SecurityModelError, match="unknown economy 'USA'"):
        trade_component(X, np.ones(3), ["X", "CHN", "A"])


def test_position_dispersion_and_hedging() -> None:
    comp = pd.DataFrame({"economy": ["ally", "hedger", "mid"], "a": [1.0, 1.0, 0.0],
                         "b": [1.0, -1.0, np.nan]})
    out = alignment_table(comp, {"a": 1.0, "b": 1.0}).set_index("economy")
    assert out.loc["ally", "position"] == 1.0 and out.loc["ally", "hedging"] == 0.0
    # an ally in security that trades with the other side: p = 0, s = 1, H = 1
    assert out.loc["hedger", "position"] == 0.0 and out.loc["hedger", "hedging"] == 1.0
    # a missing component is dropped with its weight
    assert out.loc["mid", "position"] == 0.0 and out.loc["mid", "dispersion"] == 0.0
    with pytest.raises(SecurityModelError, match="no component column 'c'"):
        alignment_table(comp, {"c": 1.0})
    with pytest.raises(SecurityModelError, match="lie in"):
        alignment_table(comp.assign(a=2.0), {"a": 1.0})


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1), st.floats(-1, 1)), min_size=1,
                max_size=10), st.floats(0.1, 3.0))
def test_position_is_a_weighted_mean_and_hedging_in_0_1(rows: list[tuple[float, ...]],
                                                        w: float) -> None:
    comp = pd.DataFrame(rows, columns=["a", "b", "c"]).assign(economy="x")
    out = alignment_table(comp, {"a": w, "b": 1.0, "c": 1.0})
    expect = (w * comp["a"] + comp["b"] + comp["c"]) / (w + 2)
    assert out["position"].to_numpy() == pytest.approx(expect.to_numpy())
    assert ((out["hedging"] >= -1e-12) & (out["hedging"] <= 1 + 1e-12)).all()


def test_movement_rule() -> None:
    p = np.array([0.5, 0.0, 0.95])
    out = move_alignment(p, np.array([2.0, 0, 0]), np.zeros(3), np.array([0, 1, 1.0]),
                         np.zeros(3), theta_b=0.1, theta_d=0.2)
    assert out == pytest.approx([0.3, 0.2, 1.0])  # coercion pushes away, deals pull, clipped
    with pytest.raises(SecurityModelError, match="non-negative"):
        move_alignment(p, p, p, p, p, theta_b=-1, theta_d=0)


def test_blocs_recover_two_clear_groups_deterministically() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(0.8, 0.05, (6, 2))
    b = rng.normal(-0.8, 0.05, (6, 2))
    tab = pd.DataFrame(np.vstack([a, b]), columns=["x", "y"])
    tab["position"] = tab[["x", "y"]].mean(axis=1)
    lab = blocs(tab, ["x", "y"], k=2, seed=1)
    assert list(lab[:6].unique()) == ["bloc 2"] and list(lab[6:].unique()) == ["bloc 1"]
    assert lab.equals(blocs(tab, ["x", "y"], k=2, seed=1))
    with pytest.raises(SecurityModelError, match="blocs"):
        blocs(tab, ["x", "y"], k=20)


def test_membership_component_and_unknown_organisation() -> None:
    m = pd.DataFrame({"economy": ["A", "A", "B"], "organization": ["NATO", "SCO", "SCO"],
                      "since": ["", "", ""], "until": ["", "", "2020-01-01"]})
    out = membership_component(m, ["A", "B"], "2024-12-31", us_clubs=["NATO"],
                               cn_clubs=["SCO"]).set_index("economy")["membership"]
    assert out["A"] == 0.0 and out["B"] == 0.0
    with pytest.raises(SecurityModelError, match="unknown organisation 'QUAD'"):
        membership_component(m, ["A"], "2024-12-31", us_clubs=["QUAD"])


def test_alignment_on_the_2025_record() -> None:
    run = record("us-2025")
    out = Alignment().compute(run.world, run).set_index("economy")
    assert out.loc["USA", "position"] == 1.0 and out.loc["CHN", "position"] == -1.0
    assert out.loc["CAN", "position"] > out.loc["JPN", "position"] > 0 > out.loc["RUS",
                                                                                 "position"]
    assert out.loc["CAN", "bloc"] == out.loc["USA", "bloc"] != out.loc["CHN", "bloc"]
    # the 2025 tariffs divert trade from the US: every ally's trade component falls
    for c in ("CAN", "DEU", "JPN", "KOR"):
        assert out.loc[c, "trade_after"] < out.loc[c, "trade"]
        assert out.loc[c, "position_after"] < out.loc[c, "position"] + 0.05
    with pytest.raises(SecurityModelError, match="outside the UNGA panel"):
        Alignment(unga_year=2030).compute(run.world)
