"""Trade wars: the Nash fixed point (no profitable unilateral deviation), symmetry, the
prisoner's dilemma against the cooperative benchmark, determinism and convergence failures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.builders import mini_world, random_world
from worldorder.data import World
from worldorder.errors import ConvergenceError
from worldorder.strategy import StrategyError, trade_war
from worldorder.strategy.best_response import Objective, partner_blocks, resolve_player
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.params import resolve_params

GAIN_TOL = 1e-8  # no deviation may gain more than this in Ŵ


def symmetric_world(n: int = 2, trade: float = 2.0, gdp: float = 10.0,
                    tariff: float = 0.02) -> World:
    codes = ["AAA", "BBB", "CCC", "DDD"][:n]
    X = np.full((n, n), trade)
    np.fill_diagonal(X, 0.0)
    t0 = np.full((n, n), tariff)
    np.fill_diagonal(t0, 0.0)
    econ = pd.DataFrame({"code": codes, "name": codes, "gdp": np.full(n, gdp)})
    return World.from_frames(econ, X, tariffs=t0)


@pytest.mark.parametrize("targets", ["all", "players"])
def test_nash_fixed_point_no_unilateral_deviation_pays(targets: str) -> None:
    w = random_world(5, seed=2)
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    players = ["E00", "E01", "E03"]
    war = trade_war(ev, players, targets=targets, tol=1e-5)
    assert all(s.converged for s in war.starts) and not war.multiple
    for k, name in enumerate(players):
        pl = resolve_player(ev, name)
        partners = None if targets == "all" else [q for q in players if q != name]
        obj = Objective(ev, pl, partner_blocks(ev, pl, partners, per_partner=False), war.t)
        r = war.rates[name]
        best = obj.uniform(r)
        assert best == pytest.approx(war.welfare[name], abs=1e-10)  # solver tolerance
        trials = [r + d for d in (-0.05, -0.01, 0.01, 0.05)] + list(np.linspace(0, 1, 21))
        for x in trials:
            if x >= 0:
                assert obj.uniform(x) <= best + GAIN_TOL, (name, x)
        # the instrument: one rate on every targeted partner, nothing else moved
        cols = war.t[:, pl.members[0]]
        targeted = partner_blocks(ev, pl, partners, per_partner=False)[0][1]
        assert np.allclose(cols[targeted], r)
        others = [j for j in range(w.n) if j not in targeted and j != pl.members[0]]
        assert np.array_equal(cols[others], w.tariffs[others, pl.members[0]])
        assert k == players.index(name)
    non_players = [j for j in range(w.n) if w.codes[j] not in players]
    assert np.array_equal(war.t[:, non_players], w.tariffs[:, non_players])


@pytest.mark.parametrize("preset", ["armington", "ignatenko2025"])
def test_symmetric_two_country_war_is_symmetric_and_a_prisoners_dilemma(preset: str) -> None:
    w = symmetric_world()
    war = trade_war(w, ["AAA", "BBB"], params=resolve_params(w, preset), tol=1e-6)
    a, b = war.rates["AAA"], war.rates["BBB"]
    assert a == pytest.approx(b, abs=1e-4)
    assert 0.15 < a < 0.4
    assert war.welfare["AAA"] == pytest.approx(war.welfare["BBB"], abs=1e-6)
    for p in ("AAA", "BBB"):  # both would be better off cooperating...
        assert war.cooperative[p] > war.welfare[p] + 1e-3
        assert war.welfare[p] < 1.0  # ...and both lose from the war
    table = war.table()
    assert (table["cost_of_war_pp"] > 0).all()
    assert np.all(war.t_cooperative[~np.eye(2, dtype=bool)] == 0.0)


def test_symmetric_three_country_war_gives_equal_rates() -> None:
    w = symmetric_world(3)
    war = trade_war(w, ["AAA", "BBB", "CCC"], targets="players", starts=("free_trade",),
                    params=resolve_params(w, "armington"), tol=1e-5)
    rates = list(war.rates.values())
    assert max(rates) - min(rates) < 1e-4


def test_the_result_does_not_depend_on_the_order_of_starts() -> None:
    w = random_world(5, seed=4)
    p = resolve_params(w, "ignatenko2025")
    one = trade_war(w, ["E00", "E02"], params=p, starts=("baseline", "free_trade", "high", 0.3))
    two = trade_war(w, ["E00", "E02"], params=p, starts=(0.3, "high", "free_trade", "baseline"))
    assert [s.start for s in one.starts] == ["baseline", "free_trade", "high", "0.3"]
    assert [s.start for s in two.starts] == [s.start for s in one.starts]
    assert one.rates == two.rates and one.welfare == two.welfare
    assert np.array_equal(one.t, two.t)
    assert one.convergence().equals(two.convergence())
    # every start reaches the same equilibrium (to the reporting tolerance)
    assert len(one.equilibria) == 1
    for s in one.starts:
        for k, v in s.rates.items():
            assert v == pytest.approx(one.rates[k], abs=1e-3)


def test_groups_play_as_one_and_keep_their_internal_tariffs() -> None:
    w = mini_world()
    war = trade_war(w, ["USA", "EU", "CHN"], params=resolve_params(w, "ignatenko2025"),
                    starts=("baseline",))
    deu, fra, usa = w.index("DEU"), w.index("FRA"), w.index("USA")
    assert war.t[deu, fra] == w.tariffs[deu, fra]
    assert war.t[usa, deu] == war.t[usa, fra] == pytest.approx(war.rates["EU"])
    assert war.schedules["EU"] == {"all": war.rates["EU"]}
    assert war.starts[0].converged and war.starts[0].rounds >= 2
    assert war.convergence().columns.tolist()[:4] == ["start", "rounds", "max_change",
                                                      "converged"]


def test_no_convergence_raises_with_rounds_and_last_change() -> None:
    w = random_world(4, seed=6)
    with pytest.raises(ConvergenceError, match=r"no start converged \(baseline: max change "
                                               r"[0-9.e+-]+ after 1 rounds") as err:
        trade_war(w, ["E00", "E01"], max_rounds=1, starts=("baseline",))
    assert err.value.iterations == 1 and err.value.residual > 1e-4


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"players": ["USA"]}, "at least two players"),
    ({"players": ["EU", "DEU"]}, r"players\[1\]: 'DEU' overlaps another player"),
    ({"players": ["USA", "CHN"], "starts": ("low",)}, "starts: unknown start 'low'"),
    ({"players": ["USA", "CHN"], "targets": "some"}, "targets: expected"),
    ({"players": ["USA", "XYZ"]}, r"players\[1\]: unknown economy or group 'XYZ'"),
])
def test_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(StrategyError, match=match):
        trade_war(mini_world(), **kwargs)
