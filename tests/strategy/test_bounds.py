"""Bounds of the tariff searches (issue 12, item 4).

Before: ``trade_war: {players: [USA, CHN], upper: 1e9}`` ran for 242 s and returned free trade,
and ``best_response`` / ``retaliation: {rule: optimal}`` with ``upper: 1e300`` returned 0%: an
equally spaced grid on [0, upper] put every point but 0 at prohibitive rates. Now a bound above
MAX_RATE is refused (a located error in a scenario, before any solve), and below it the grid is
dense where optima lie and geometric beyond, so a wide bound gives the same answer as a narrow one
and an optimum on the bound is reported as such.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.builders import random_world
from worldorder.errors import NumericsError, ScenarioError, WorldorderError
from worldorder.scenarios.scenario import load_scenario
from worldorder.scenarios.timeline import simulate_timeline
from worldorder.strategy import (
    StrategyError,
    best_response,
    coalition_value,
    optimal_retaliation,
    trade_war,
)
from worldorder.strategy.bargaining import BargainError, bargain
from worldorder.strategy.best_response import Objective, partner_blocks, resolve_player
from worldorder.strategy.coalitions import CoalitionError
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.instruments import MAX_RATE, optimal_tariff
from worldorder.trade.params import resolve_params

STEPS = [
    ("trade_war: {players: [USA, CHN], upper: 1e9}", "trade_war.upper"),
    ("best_response: {by: USA, upper: 1e300}", "best_response.upper"),
    ("retaliation: {against: USA, by: CHN, rule: optimal, upper: 1e300}",
     "retaliation.upper"),
    ("coalition: {members: [EU, CAN], against: USA, upper: 1e300}", "coalition.upper"),
]


@pytest.mark.parametrize(("step", "field"), STEPS)
def test_a_scenario_with_a_huge_bound_is_refused_at_load_with_its_location(
        tmp_path: Path, mini_dataset: Path, step: str, field: str) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(f"name: wide\ndataset: {mini_dataset}\npolicies:\n  - {step}\n")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(f)
    msg = str(exc.value)
    assert "s.yaml" in msg and "line 4" in msg and field in msg, msg
    assert f"less than or equal to {MAX_RATE:g}" in msg and "\n" not in msg


def test_every_search_refuses_a_bound_above_the_limit() -> None:
    w = random_world(5, seed=3)
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    calls = [
        (StrategyError, lambda up: best_response(ev, "E00", upper=up)),
        (StrategyError, lambda up: optimal_retaliation(ev, "E01", "E00", upper=up)),
        (StrategyError, lambda up: trade_war(ev, ["E00", "E01"], upper=up)),
        (CoalitionError, lambda up: coalition_value(ev, ["E01", "E02"], "E00", upper=up)),
        (BargainError, lambda up: bargain(ev, "E00", "E01", ev.t0, 0.2, upper=up)),
        (NumericsError, lambda up: optimal_tariff(w, ev.params, "E00", upper=up)),
    ]
    for kind, call in calls:
        for bad in (1e9, 1e300, math.inf, math.nan, 0.0, -1.0):
            with pytest.raises(kind, match="upper: ") as exc:
                call(bad)
            assert isinstance(exc.value, WorldorderError)
    assert ev.solves == 0  # refused before any solve


def _wide_optimum_world() -> tuple[Evaluator, str]:
    """A large economy with inelastic import demand: its optimal tariff is above 100%."""
    w = random_world(4, seed=11)
    p = resolve_params(w, "armington", closure="balanced", epsilon=1.2)
    return Evaluator(w, p), w.codes[int(np.argmax(w.gdp))]


def test_an_optimum_beyond_100_percent_is_found_with_a_wide_bound_and_flagged_with_a_narrow_one(
        ) -> None:
    ev, code = _wide_optimum_world()
    narrow = best_response(ev, code, upper=1.0)
    assert narrow.rate == 1.0 and narrow.at_bound
    wide = best_response(ev, code, upper=MAX_RATE)
    assert wide.rate > 1.0 + 1e-3 and not wide.at_bound and wide.welfare > narrow.welfare
    pl = resolve_player(ev, code)
    obj = Objective(ev, pl, partner_blocks(ev, pl, None, per_partner=False), ev.t0)
    for d in (-1e-2, 1e-2):
        assert obj.uniform(wide.rate + d) < wide.welfare
    # no better rate anywhere on a fine independent grid of [0, MAX_RATE]
    probe = np.concatenate([np.linspace(0.0, 3.0, 61), np.geomspace(3.0, MAX_RATE, 15)])
    assert max(obj.uniform(r) for r in probe) <= wide.welfare + 1e-12
    ret = optimal_retaliation(ev, code, next(c for c in ev.world.codes if c != code),
                              upper=MAX_RATE)
    assert not ret.at_bound and ret.table()["at_bound"].tolist() == [False, False]


def test_a_wide_bound_gives_the_narrow_answer_when_the_optimum_is_interior() -> None:
    # balanced trade: no fixed-deficit artifact (welfare rising again at prohibitive rates,
    # which a wide bound would rightly find)
    w = random_world(5, seed=3)
    ev = Evaluator(w, resolve_params(w, "ignatenko2025", closure="balanced"))
    a, b = best_response(ev, "E01", upper=1.0), best_response(ev, "E01", upper=MAX_RATE)
    assert b.rate == pytest.approx(a.rate, abs=1e-6) and not a.at_bound and not b.at_bound
    war1 = trade_war(ev, ["E00", "E01"], upper=1.0, starts=["baseline"])
    war100 = trade_war(ev, ["E00", "E01"], upper=MAX_RATE, starts=["high"])
    for p in ("E00", "E01"):
        assert war100.rates[p] == pytest.approx(war1.rates[p], abs=1e-4)
        assert not war100.at_bound[p]
    assert war100.table()["at_bound"].tolist() == [False, False]
    r1 = optimal_retaliation(ev, ["E02", "E03"], "E00", upper=1.0)
    r100 = optimal_retaliation(ev, ["E02", "E03"], "E00", upper=MAX_RATE)
    assert r100.numerical == pytest.approx(r1.numerical, abs=1e-6)


def test_a_rise_to_the_edge_of_the_model_is_found_and_reported(tmp_path: Path) -> None:
    """The US under fixed deficits after a 10% tariff: its welfare peaks at 25% (+1.78%), then
    climbs again with prohibitive rates until Qatar's real income reaches zero near 340%. With
    ``upper: 10`` the search returned 0.25 (the grid's points 2.15 and 4.64 straddle the rise,
    and 4.64 is no valid equilibrium) and, with invalid roots allowed, would have chosen a rate
    that left Qatar's welfare at -130%. Now: the best valid rate, flagged and warned."""
    f = tmp_path / "edge.yaml"
    f.write_text("name: edge\ndataset: world-2024\npolicies:\n"
                 "  - tariff: {by: USA, on: all, rate: 0.1}\n"
                 "  - best_response: {by: USA, upper: 10}\n")
    res = simulate_timeline(load_scenario(f))
    note = res.notes["best_response_USA"]
    assert bool(note["at_bound"].iloc[0])
    rate = float(note["rate"].iloc[0])
    assert 3.0 < rate < 3.6
    assert any(w.startswith("best_response of USA: the best rate, ") and "valid equilibrium"
               in w for w in res.warnings)
    assert (res.tables["economies"]["welfare_pct"] > -100).all()
    # no better valid rate on an independent grid of [0, 10]
    ev = Evaluator(res.world, res.params)
    usa = res.world.index("USA")
    t = res.world.tariffs.copy()
    t[:, usa] += 0.1
    t[usa, usa] = 0.0
    pl = resolve_player(ev, "USA")
    obj = Objective(ev, pl, partner_blocks(ev, pl, None, per_partner=False), t)
    best = obj.uniform(rate)
    probe = [obj.uniform(r) for r in (0.25, 1.0, 2.0, 3.0, rate - 0.01, rate + 0.01, 4.0, 10.0)]
    assert max(probe) <= best + 1e-12 and probe[0] < best
    assert obj.uniform(rate + 0.01) == -math.inf  # beyond the edge: no valid equilibrium
