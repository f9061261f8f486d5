"""Coercive bargaining: the war is a mutual best response, the deal satisfies the axioms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.builders import mini_world
from worldorder import World
from worldorder.strategy.bargaining import (
    BargainError,
    actual_deals_2025,
    bargain,
    dependence_weight,
)
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.params import resolve_params


def symmetric_world() -> World:
    X = np.array([[0.0, 20.0, 5.0], [20.0, 0.0, 5.0], [5.0, 5.0, 0.0]])
    econ = pd.DataFrame({"code": ["AAA", "BBB", "ROW"], "name": ["A", "B", "Rest"],
                         "gdp": [100.0, 100.0, 60.0]})
    return World.from_frames(econ, X, name="symmetric")


def test_symmetric_players_get_a_symmetric_deal() -> None:
    w = symmetric_world()
    ev = Evaluator(w, resolve_params(w, "ignatenko2025", closure="balanced"))
    assert dependence_weight(w, "AAA", "BBB") == pytest.approx(0.5)
    t = ev.t0.copy()
    res = bargain(ev, "AAA", "BBB", t, threat=0.0)  # no threat: a symmetric war
    assert res.war.hegemon_rate == pytest.approx(res.war.partner_rate, abs=1e-4)
    assert res.deal.hegemon_rate == pytest.approx(res.deal.partner_rate, abs=2e-3)
    assert res.deal.transfer == pytest.approx(0.0, abs=1e-3 * 200)
    gh, gp = res.gains
    assert gh > 0 and gp > 0 and gh == pytest.approx(gp, rel=2e-2)


@pytest.fixture(scope="module")
def mini_case():
    w = mini_world()
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    return w, ev, bargain(ev, "USA", "JPN", ev.t0, threat=0.24)


def test_deal_beats_the_disagreement_point_for_both(mini_case) -> None:
    _, _, res = mini_case
    gh, gp = res.gains
    assert gh > 0 and gp > 0
    assert 0 < res.weight_hegemon < 1
    assert res.threat.welfare_partner < 0  # the threat hurts the partner


def test_war_is_a_mutual_best_response(mini_case) -> None:
    _, ev, res = mini_case
    from worldorder.strategy.bargaining import _Sides

    s = _Sides(ev, "USA", "JPN")
    war = res.war
    for dr in (-0.02, 0.02):
        h = s.package(ev.t0, war.hegemon_rate + dr, war.partner_rate)
        p = s.package(ev.t0, war.hegemon_rate, max(war.partner_rate + dr, 0.0))
        assert h.value_hegemon <= war.value_hegemon + 1e-9
        assert p.value_partner <= war.value_partner + 1e-9


def test_actual_deal_evaluation_and_purchases(mini_case) -> None:
    _, ev, _ = mini_case
    row = {"deal_pct": 15, "deal_basis": "all-in", "partner_rate_after_pct": 0,
           "investment_usd_bn": 0, "purchases_usd_bn": 400}
    res = bargain(ev, "USA", "JPN", ev.t0, threat=0.24, actual=row)
    assert res.actual is not None and res.actual.hegemon_rate == pytest.approx(0.15)
    assert res.actual.partner_rate == 0.0
    assert res.actual.purchases > 0


def test_bundled_deals_table_has_sources() -> None:
    deals = actual_deals_2025()
    assert {"EU", "JPN", "KOR", "GBR", "VNM", "IDN", "PHL", "CHE", "IND"} <= set(deals["partner"])
    assert deals["source"].str.len().min() > 20


def test_errors(mini_case) -> None:
    _, ev, _ = mini_case
    with pytest.raises(BargainError, match="unknown economy or group 'XXX'"):
        bargain(ev, "USA", "XXX", ev.t0, 0.1)
    with pytest.raises(BargainError, match="overlap"):
        bargain(ev, "DEU", "EU", ev.t0, 0.1)
    with pytest.raises(BargainError, match="strictly between 0 and 1"):
        bargain(ev, "USA", "JPN", ev.t0, 0.1, weight=1.0)
