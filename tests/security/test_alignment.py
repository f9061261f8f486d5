"""Alignment between the US and China: components, hedging, blocs, movement, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import bundled_record as record
from tests.builders import mini_world, one_aid_recipient
from worldorder.errors import ScenarioError, SecurityModelError
from worldorder.scenarios.scenario import Scenario
from worldorder.security.alignment import (
    Alignment,
    aid_change,
    alignment_table,
    blocs,
    membership_component,
    move_alignment,
    theta_of_aid,
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


def test_aid_moves_alignment_by_theta_a_times_the_change_closed_form() -> None:
    w = mini_world()  # GDP in USD trillion; Mexico's 1.9
    cut = [{"donor": "USA", "share": 0.25, "recipients": "all", "kind": "cut"}]
    a = aid_change(cut, w, table=one_aid_recipient(), military={})
    mex = w.index("MEX")
    # a quarter of USD 2 bn over a GDP of USD 1.9 tn, in %: -100 * 0.5e9 / 1.9e12
    assert a[mex] == pytest.approx(-100 * 0.5e9 / 1.9e12, rel=1e-12)
    assert np.count_nonzero(a) == 1
    p, z = np.full(w.n, 0.1), np.zeros(w.n)
    moved = move_alignment(p, z, z, z, z, theta_b=0.05, theta_d=0.05, aid_us=a, theta_a=0.3)
    assert moved[mex] - 0.1 == pytest.approx(0.3 * a[mex], rel=1e-12)
    # theta_a = None is theta_b (no new free number); a cut moves towards China
    default = move_alignment(p, z, z, z, z, theta_b=0.05, theta_d=0.05, aid_us=a)
    assert default[mex] - 0.1 == pytest.approx(0.05 * a[mex], rel=1e-12) and default[mex] < 0.1
    # restoring all of it, or another donor, or no record: no change
    back = [*cut, {"donor": "USA", "share": 1.0, "recipients": "all", "kind": "restore"}]
    assert not aid_change(back, w, table=one_aid_recipient(), military={}).any()
    assert not aid_change([{**cut[0], "donor": "CHN"}], w, table=one_aid_recipient()).any()
    assert not aid_change([], w, table=one_aid_recipient()).any()
    # new aid pulls towards the US; China's aid (none in the data) pulls the other way
    give = aid_change([{"donor": "USA", "share": 0.5, "recipients": "all", "kind": "give"}], w,
                      table=one_aid_recipient(), military={})
    assert give[mex] == pytest.approx(100 * 1e9 / 1.9e12)
    assert move_alignment(p, z, z, z, z, theta_b=0.05, theta_d=0, aid_cn=give)[mex] < 0.1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 1), st.floats(-5, 5), st.floats(0, 3),
                          st.booleans()), min_size=1, max_size=8), st.floats(0, 0.5))
def test_theta_a_zero_reproduces_the_positions_without_aid(
        rows: list[tuple[float, float, float, bool]], theta_b: float) -> None:
    p, aid, burden, deal = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    old = move_alignment(p, burden, burden[::-1], deal, deal[::-1], theta_b=theta_b,
                         theta_d=0.1)
    new = move_alignment(p, burden, burden[::-1], deal, deal[::-1], theta_b=theta_b,
                         theta_d=0.1, aid_us=aid, aid_cn=-aid, theta_a=0.0)
    assert np.array_equal(old, new)


def test_theta_a_bad_input_is_one_line_naming_the_parameter() -> None:
    for bad in (-0.1, "high", float("nan"), True):
        with pytest.raises(SecurityModelError, match="'theta_a'"):
            Alignment(theta_a=bad)
    assert theta_of_aid(None, 0.07) == 0.07 and theta_of_aid(0, 0.07) == 0.0
    text = ("name: bad\ndataset: mini\nsteps:\n  - date: 2025-01-20\n    security_params: "
            "{model: alignment, params: {theta_a: high}}\n")
    with pytest.raises(ScenarioError, match=r"line 5.*'theta_a' = 'high'"):
        Scenario.from_text(text)


def test_the_2025_aid_cut_moves_recipients_towards_china_by_theta_times_the_cut() -> None:
    res = record("us-2025")
    al = res.tables["alignment"]
    last = al[al["date"] == al["date"].max()].set_index("economy")
    assert (last["aid_us"] <= 0).all() and (last["aid_cn"] == 0).all()
    hit = last[(last["aid_us"] < 0) & ~last.index.isin(["USA", "CHN"])]  # the poles are held
    assert {"NGA", "UKR", "ROW"} <= set(hit.index)
    # against the same date with aid left out: exactly theta_b times the change, where unclipped
    theta = Alignment().params["theta_b"]
    without = move_alignment(hit["position_components"].to_numpy(), hit["burden_us"],
                             hit["burden_cn"], hit["deal_us"], hit["deal_cn"], theta_b=theta,
                             theta_d=Alignment().params["theta_d"])
    assert hit["position"].to_numpy() - without == pytest.approx(
        theta * hit["aid_us"].to_numpy(), abs=1e-12)


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
