"""Tariff instruments: schedules, the USTR 2025 formula, mirror retaliation, optimal tariffs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.builders import random_world
from worldorder.data.world import World
from worldorder.trade.counterfactual import model_baseline
from worldorder.trade.equilibrium import solve_equilibrium
from worldorder.trade.instruments import (
    apply_change,
    mirror_retaliation,
    optimal_tariff,
    reciprocal_ustr2025,
    tariff_change,
)
from worldorder.trade.params import resolve_params


def _world(us_imports: dict[str, float], us_exports: dict[str, float]) -> World:
    codes = ["USA", *us_imports]
    n = len(codes)
    X = np.ones((n, n))
    np.fill_diagonal(X, 0.0)
    for k, c in enumerate(codes[1:], start=1):
        X[k, 0] = us_imports[c]
        X[0, k] = us_exports[c]
    econ = pd.DataFrame({"code": codes, "name": codes, "gdp": np.full(n, 10_000.0)})
    return World.from_frames(econ, X, groups={"EU": ["DEU", "FRA"]} if "DEU" in codes else None)


def test_ustr_formula_reproduces_the_published_examples() -> None:
    # charged 67% -> 34%; 39% -> 20%; a surplus partner gets the 10% floor; 90% -> 45%
    w = _world({"CHN": 100.0, "EUX": 100.0, "GBR": 50.0, "VNM": 100.0},
               {"CHN": 33.0, "EUX": 61.0, "GBR": 80.0, "VNM": 10.0})
    change, table = reciprocal_ustr2025(w, "USA")
    t = table.set_index("partner")
    assert t.loc["CHN", "charged"] == pytest.approx(0.67)
    assert t.loc["CHN", "rate"] == pytest.approx(0.34)
    assert t.loc["EUX", "charged"] == pytest.approx(0.39)
    assert t.loc["EUX", "rate"] == pytest.approx(0.20)
    assert t.loc["GBR", "rate"] == pytest.approx(0.10)
    assert t.loc["VNM", "rate"] == pytest.approx(0.45)
    usa = w.index("USA")
    assert change[w.index("CHN"), usa] == pytest.approx(0.34)
    assert np.isnan(change[usa, w.index("CHN")])  # only the imposer's column changes


def test_ustr_formula_aggregates_the_eu_and_honours_exemptions() -> None:
    w = _world({"DEU": 80.0, "FRA": 20.0, "CAN": 100.0}, {"DEU": 40.0, "FRA": 21.0, "CAN": 90.0})
    change, table = reciprocal_ustr2025(w, "USA", exempt=["CAN"])
    eu = table.set_index("partner").loc["EU"]
    assert eu["charged"] == pytest.approx(0.39)  # (100 - 61) / 100 for the EU as one partner
    usa = w.index("USA")
    assert change[w.index("DEU"), usa] == change[w.index("FRA"), usa] == pytest.approx(0.20)
    assert np.isnan(change[w.index("CAN"), usa])


def test_tariff_change_by_group_on_schedule_with_exemptions() -> None:
    w = random_world(6, seed=2, with_groups=True)  # G1 = E00, E01
    ch = tariff_change(w, "G1", on={"all": 0.1, "E03": 0.5}, exempt=["E05"])
    g1 = [w.index("E00"), w.index("E01")]
    for i in g1:
        assert np.isnan(ch[g1[0], i]) and np.isnan(ch[g1[1], i])  # no tax inside the group
        assert ch[w.index("E03"), i] == 0.5
        assert ch[w.index("E02"), i] == 0.1
        assert np.isnan(ch[w.index("E05"), i])
    assert np.isnan(ch[:, w.index("E02")]).all()  # non-imposers untouched
    with pytest.raises(KeyError, match="XXX"):
        tariff_change(w, "XXX", rate=0.1)
    with pytest.raises(ValueError, match="uniform rate"):
        tariff_change(w, "E00")


def test_apply_change_bases() -> None:
    t0 = np.full((3, 3), 0.05)
    ch = np.full((3, 3), np.nan)
    ch[1, 0] = 0.2
    assert apply_change(t0, t0, ch)[1, 0] == pytest.approx(0.25)
    assert apply_change(t0, t0, ch, basis="total")[1, 0] == pytest.approx(0.2)
    once = apply_change(t0, t0, ch)
    assert apply_change(once, t0, ch, stack=True)[1, 0] == pytest.approx(0.45)
    assert apply_change(once, t0, ch)[1, 0] == pytest.approx(0.25)  # replaces, not adds
    assert apply_change(t0, t0, ch)[0, 1] == pytest.approx(0.05)


def test_mirror_retaliation_copies_the_additional_rate() -> None:
    w = random_world(5, seed=3)
    t0 = w.tariffs
    t = apply_change(t0, t0, tariff_change(w, "E00", on={"E01": 0.3, "E02": 0.1}))
    ch = mirror_retaliation(w, t, t0, against="E00")
    assert ch[w.index("E00"), w.index("E01")] == pytest.approx(0.3)
    assert ch[w.index("E00"), w.index("E02")] == pytest.approx(0.1)
    assert np.isnan(ch[w.index("E00"), w.index("E03")])  # not taxed, does not retaliate
    only = mirror_retaliation(w, t, t0, against="E00", by=["E02"])
    assert np.isnan(only[w.index("E00"), w.index("E01")])


def test_optimal_tariff_matches_closed_form_in_armington_with_balanced_trade() -> None:
    w = random_world(8, seed=11)
    p = resolve_params(w, "armington", closure="balanced")
    res = optimal_tariff(w, p, "E00", upper=1.0)
    assert res["numerical"] == pytest.approx(res["closed_form"], rel=0.01)
    assert res["welfare_pct"] >= res["welfare_pct_closed_form"] - 1e-12


@pytest.mark.parametrize("preset", ["armington", "ignatenko2025"])
def test_numerical_optimum_is_a_local_maximum(preset: str) -> None:
    w = random_world(7, seed=4)
    p = resolve_params(w, preset)
    res = optimal_tariff(w, p, "E02", upper=1.0)
    base = model_baseline(w, p)
    i = w.index("E02")

    def welfare(r: float) -> float:
        t1 = base.t0.copy()
        t1[:, i] = r
        t1[i, i] = 0.0
        return float(solve_equilibrium(base, p, t1).welfare[i])

    best = welfare(res["numerical"])
    assert 100 * (best - 1) == pytest.approx(res["welfare_pct"], abs=1e-9)
    assert best >= welfare(res["numerical"] + 0.01) and best >= welfare(res["numerical"] - 0.01)
    assert best > 1.0  # a large enough economy gains from some tariff
