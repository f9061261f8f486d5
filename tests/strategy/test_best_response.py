"""Best responses: the uniform search equals optimal_tariff, matches the closed form where it is
exact, per-partner rates weakly beat a uniform rate, and every answer is a local maximum."""

from __future__ import annotations

import numpy as np
import pytest

from tests.builders import mini_world, random_world
from worldorder.data import load_world
from worldorder.strategy import StrategyError, best_response
from worldorder.strategy.best_response import Objective, partner_blocks, resolve_player
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.instruments import optimal_tariff, optimal_tariff_closed_form
from worldorder.trade.params import resolve_params


@pytest.mark.parametrize("preset", ["armington", "ignatenko2025"])
def test_uniform_best_response_from_the_baseline_is_the_optimal_tariff(preset: str) -> None:
    w = random_world(6, seed=1)
    p = resolve_params(w, preset)
    br = best_response(w, "E00", params=p)
    ref = optimal_tariff(w, p, "E00")
    assert br.rate == pytest.approx(ref["numerical"], abs=1e-6)
    assert br.welfare_pct == pytest.approx(ref["welfare_pct"], abs=1e-8)
    assert br.rates == {"all": br.rate} and br.converged and not br.at_bound
    assert br.welfare > br.welfare_before  # a large enough economy gains from some tariff
    i = w.index("E00")
    expected = w.tariffs.copy()
    expected[:, i] = br.rate
    expected[i, i] = 0.0
    assert np.array_equal(br.t, expected)  # only the player's column changes


def test_uniform_best_response_matches_the_closed_form_in_armington_balanced() -> None:
    w = random_world(8, seed=11)
    p = resolve_params(w, "armington", closure="balanced")
    ev = Evaluator(w, p)
    br = best_response(ev, "E00")
    closed = optimal_tariff_closed_form(ev.baseline, p, w.index("E00"))
    assert br.rate == pytest.approx(closed, rel=0.01)


def test_per_partner_weakly_beats_uniform_and_is_a_local_maximum() -> None:
    w = random_world(5, seed=3)
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    br = best_response(ev, "E01", instrument="per_partner")
    assert br.converged, br.message
    assert set(br.rates) == {"E00", "E02", "E03", "E04"} and br.rate is None
    assert br.welfare >= br.welfare_uniform - 1e-12
    assert br.welfare > br.welfare_uniform + 1e-6  # partners differ, so discrimination pays
    pl = resolve_player(ev, "E01")
    obj = Objective(ev, pl, partner_blocks(ev, pl, None, per_partner=True), w.tariffs)
    x = np.array(list(br.rates.values()))
    assert obj(x) == pytest.approx(br.welfare, abs=1e-10)
    for k in range(x.size):
        for d in (-0.01, 0.01):
            y = x.copy()
            y[k] += d
            assert obj(y) < br.welfare, (k, d)


def test_uniform_best_response_is_a_local_maximum_given_other_tariffs() -> None:
    w = random_world(6, seed=5)
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    t = w.tariffs.copy()
    t[:, w.index("E00")] = 0.3  # someone else's trade war in force
    t[w.index("E00"), w.index("E00")] = 0.0
    br = best_response(ev, "E02", t, partners=["E00", "E03"])
    pl = resolve_player(ev, "E02")
    obj = Objective(ev, pl, partner_blocks(ev, pl, ["E00", "E03"], per_partner=False), t)
    for d in (-0.05, -0.01, 0.01, 0.05):
        assert obj.uniform(br.rate + d) < br.welfare
    changed = np.argwhere(np.abs(br.t - t) > 0)
    assert {tuple(c) for c in changed} <= {(w.index("E00"), w.index("E02")),
                                          (w.index("E03"), w.index("E02"))}
    assert set(br.rates) == {"E00+E03"}


def test_a_group_acts_as_one_player() -> None:
    w = mini_world()
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    br = best_response(ev, "EU")
    deu, fra = w.index("DEU"), w.index("FRA")
    assert br.members == ("DEU", "FRA")
    assert br.t[deu, fra] == w.tariffs[deu, fra] and br.t[fra, deu] == w.tariffs[fra, deu]
    others = [k for k in range(w.n) if k not in (deu, fra)]
    assert np.allclose(br.t[np.ix_(others, [deu, fra])], br.rate)
    y = ev.baseline.Y[[deu, fra]]
    wel = ev.welfare(br.t)[[deu, fra]]
    assert br.welfare == pytest.approx(float(y @ wel / y.sum()), abs=1e-12)


def test_per_partner_with_a_group_partner_gives_one_rate_to_its_members() -> None:
    w = mini_world()
    br = best_response(w, "USA", instrument="per_partner", partners=["CHN", "EU"],
                       params=resolve_params(w, "ignatenko2025"))
    usa = w.index("USA")
    assert set(br.rates) == {"CHN", "EU"}
    assert br.t[w.index("DEU"), usa] == br.t[w.index("FRA"), usa] == br.rates["EU"]
    assert br.t[w.index("JPN"), usa] == w.tariffs[w.index("JPN"), usa]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"player": "XXX"}, "player: unknown economy or group 'XXX'"),
    ({"player": "USA", "partners": ["USA"]}, r"partners\[0\]: 'USA' overlaps the player"),
    ({"player": "USA", "partners": ["EU", "DEU"]}, "overlaps another listed partner"),
    ({"player": "USA", "instrument": "best"}, "instrument: expected"),
    ({"player": "USA", "upper": 0.0}, "upper: the bound"),
])
def test_errors_are_one_line_strategy_errors(kwargs: dict, match: str) -> None:
    w = mini_world()
    with pytest.raises(StrategyError, match=match) as err:
        best_response(w, **kwargs)
    assert "\n" not in str(err.value)


def test_params_belong_to_a_world_not_to_an_evaluator() -> None:
    w = mini_world()
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    with pytest.raises(StrategyError, match="give params with a World"):
        best_response(ev, "USA", params=resolve_params(w, "armington"))


def test_world_2024_us_best_response_and_eight_partner_schedule() -> None:
    w = load_world("world-2024")
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    br = best_response(ev, "USA")
    assert br.rate == pytest.approx(optimal_tariff(w, ev.params, "USA")["numerical"], abs=1e-6)
    assert 0.15 < br.rate < 0.35 and br.welfare_pct > 0  # Ignatenko et al.: about 19-25%
    partners = ["CHN", "EU", "MEX", "CAN", "JPN", "KOR", "GBR", "IND"]
    pp = best_response(ev, "USA", instrument="per_partner", partners=partners)
    assert pp.converged and pp.welfare >= pp.welfare_uniform - 1e-12
    assert pp.solves < 1500
