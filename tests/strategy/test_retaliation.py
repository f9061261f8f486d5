"""Optimal retaliation: the two-region closed form (by hand, and against the single-economy
formula and the numerical optimum where it is exact) and the numerical common rate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.builders import mini_world, random_world
from worldorder.data import World, load_world
from worldorder.scenarios import simulate
from worldorder.strategy import StrategyError, optimal_retaliation
from worldorder.strategy.best_response import Objective, partner_blocks, resolve_player
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.instruments import optimal_tariff_closed_form
from worldorder.trade.params import resolve_params


def two_countries(small: float, big: float, trade: float) -> World:
    X = np.array([[0.0, trade], [trade, 0.0]])
    econ = pd.DataFrame({"code": ["AAA", "BBB"], "name": ["A", "B"], "gdp": [small, big]})
    return World.from_frames(econ, X)


def test_closed_form_by_hand_for_a_group_with_heterogeneous_parameters() -> None:
    w = random_world(6, seed=8, with_groups=True)  # G1 = E00, E01
    p = resolve_params(w, "ignatenko2025", nu={"E00": 0.3, "E03": 0.2, "default": 0.1})
    ev = Evaluator(w, p)
    res = optimal_retaliation(ev, "G1", "E03")
    b, gdp, nu = ev.baseline, w.gdp, p.nu
    g, tt = [0, 1], [3]
    region = [0, 1, 3]
    x_gt = sum(b.X[i, 3] for i in g)
    x_gg = sum(b.X[i, k] for i in g for k in g)
    y2 = sum((1 - nu[k]) * b.X[i, k] for i in g for k in region) + \
        sum(nu[i] * b.X[k, i] for i in g for k in region)
    lam = sum(b.X[i, 3] * (1 + b.t0[i, 3]) for i in g) / b.E[3]
    wg = gdp[g] / gdp[g].sum()
    nu_g, phi_g = wg @ nu[g], wg @ p.phi[g]
    delta = x_gt * (1 - nu[3]) * (1 - lam) / ((1 - nu_g) * (y2 - x_gg))
    assert res.closed.delta == pytest.approx(delta, rel=1e-12)
    assert res.closed_form == pytest.approx(1 / ((1 + 4.0 * delta) * phi_g - 1), rel=1e-12)
    assert res.closed.nu_target == pytest.approx(0.2) and tt == [w.index(c) for c in res.targets]


def test_closed_form_is_the_single_economy_formula_in_a_two_country_world() -> None:
    w = two_countries(10.0, 6.0, 2.0)
    p = resolve_params(w, "armington", closure="balanced")
    ev = Evaluator(w, p)
    res = optimal_retaliation(ev, "AAA", "BBB")
    assert res.closed_form == pytest.approx(optimal_tariff_closed_form(ev.baseline, p, 0),
                                            rel=1e-12)


def test_closed_form_matches_the_numerical_optimum_where_it_is_exact() -> None:
    # Armington, balanced trade, a small retaliator (λ_GT = 1%): exact to first order
    w = two_countries(4.0, 100.0, 1.0)
    res = optimal_retaliation(w, "AAA", "BBB",
                              params=resolve_params(w, "armington", closure="balanced"))
    assert res.closed.lam == pytest.approx(0.01)
    assert res.numerical == pytest.approx(res.closed_form, rel=0.01)
    assert res.welfare >= res.welfare_closed_form - 1e-12


def test_numerical_retaliation_is_a_common_rate_and_a_local_maximum() -> None:
    w = mini_world()
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    usa = w.index("USA")
    t = w.tariffs.copy()
    t[:, usa] = 0.25
    t[usa, usa] = 0.0
    res = optimal_retaliation(ev, ["CHN", "EU"], "USA", t)
    members = [w.index(c) for c in ("CHN", "DEU", "FRA")]
    assert res.members == ("CHN", "DEU", "FRA") and res.targets == ("USA",)
    assert np.allclose(res.t[usa, members], res.numerical)
    mask = np.ones_like(t, dtype=bool)
    mask[usa, members] = False
    assert np.array_equal(res.t[mask], t[mask])  # nothing else moves
    pl = resolve_player(ev, ["CHN", "EU"])
    obj = Objective(ev, pl, partner_blocks(ev, pl, ["USA"], per_partner=False), t)
    for d in (-0.05, -0.01, 0.01, 0.05):
        assert obj.uniform(res.numerical + d) < res.welfare
    assert res.welfare >= res.welfare_before and res.welfare >= res.welfare_closed_form
    y = ev.baseline.Y[members]
    wel = np.array([res.members_welfare[c] for c in res.members])
    assert res.welfare == pytest.approx(float(y @ wel / y.sum()), abs=1e-12)
    table = res.table()
    assert list(table["method"]) == ["numerical", "closed_form"]


def test_a_group_name_equals_its_members() -> None:
    w = mini_world()
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    a = optimal_retaliation(ev, "EU", "CHN")
    b = optimal_retaliation(ev, ["DEU", "FRA"], "CHN")
    assert a.closed_form == pytest.approx(b.closed_form, rel=1e-14)
    assert a.numerical == pytest.approx(b.numerical, abs=1e-6)


def test_errors() -> None:
    w = mini_world()
    with pytest.raises(StrategyError, match="against\\[0\\]: 'DEU' overlaps the player"):
        optimal_retaliation(w, "EU", "DEU")
    with pytest.raises(StrategyError, match="by: unknown economy or group 'XYZ'"):
        optimal_retaliation(w, ["XYZ"], "USA")


def test_world_2024_eu_against_liberation_day() -> None:
    w = load_world("world-2024")
    res0 = simulate("liberation-day-2025", world=w)
    t = res0.outcome.equilibrium.t1
    res = optimal_retaliation(Evaluator(w, res0.params), "EU", "USA", t)
    assert 0.05 < res.numerical < 0.25 and not res.at_bound
    assert 0.1 < res.closed_form < 0.35
    assert res.welfare > res.welfare_before  # retaliation pays the EU
    assert res.target_welfare < 1.0
