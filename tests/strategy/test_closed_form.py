"""Closed-form best responses and closed-form-only optimal retaliation (no numerical search)."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

import worldorder.strategy.retaliation as retaliation_module
from tests.builders import mini_world, random_world, sim_at
from worldorder.engine import TradeState
from worldorder.errors import StrategyError
from worldorder.scenarios import ACTIONS
from worldorder.strategy import best_response, optimal_retaliation
from worldorder.strategy.closed_form import best_response_closed_form
from worldorder.strategy.retaliation import retaliation_closed_form
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.instruments import optimal_tariff_closed_form
from worldorder.trade.params import resolve_params


def test_closed_form_best_response_is_the_optimal_tariff_formula() -> None:
    w = mini_world()
    p = resolve_params(w, "ignatenko2025")
    ev = Evaluator(w, p)
    usa = w.index("USA")
    br = best_response_closed_form(ev, "USA")
    assert br.rate == pytest.approx(optimal_tariff_closed_form(ev.baseline, p, usa), rel=1e-14)
    others = np.arange(w.n) != usa
    assert np.allclose(br.t[others, usa], br.rate) and br.t[usa, usa] == ev.t0[usa, usa]
    assert br.solves == 2 and br.converged and "closed form" in br.message
    assert br.welfare == pytest.approx(ev.welfare(br.t)[usa], rel=1e-12)
    # a group, or listed partners: the two-region aggregate of the retaliation closed form
    eu = best_response_closed_form(ev, "EU", partners=["USA", "CHN"])
    ref = retaliation_closed_form(ev.baseline, p, w.gdp, [w.index("DEU"), w.index("FRA")],
                                  [usa, w.index("CHN")])
    assert eu.rate == pytest.approx(ref.rate, rel=1e-14)
    assert set(eu.rates) == {"USA+CHN"}  # uniform: one block for the listed partners


def test_closed_form_is_close_to_the_numerical_best_response_in_armington() -> None:
    """Exact to first order in the Armington case with balanced trade."""
    w = random_world(8, seed=11)
    p = resolve_params(w, "armington", closure="balanced")
    ev = Evaluator(w, p)
    closed = best_response_closed_form(ev, "E00")
    numerical = best_response(ev, "E00")
    assert closed.rate == pytest.approx(numerical.rate, rel=0.01)
    assert numerical.welfare >= closed.welfare - 1e-12


def test_no_finite_closed_form_is_an_error() -> None:
    w = mini_world()
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    ev_phi = Evaluator(w, ev.params.with_values(phi=np.full(w.n, 0.1)))  # (1+δε)φ < 1
    with pytest.raises(StrategyError, match="no finite closed-form rate"):
        best_response_closed_form(ev_phi, "USA")


def test_best_response_step_with_closed_form() -> None:
    sim = sim_at(mini_world())
    tr = sim.get(TradeState)
    ACTIONS["best_response"].model_validate({"by": "USA", "method": "closed_form"}).apply(sim)
    usa = sim.world.index("USA")
    rate = optimal_tariff_closed_form(sim.evaluator().baseline, sim.params, usa)
    assert tr.t[sim.world.index("CHN"), usa] == pytest.approx(rate)
    note = sim.notes["best_response_USA_2025-06-01"]
    assert note.loc[0, "rate"] == pytest.approx(rate)
    with pytest.raises(ValidationError, match="instrument: uniform"):
        ACTIONS["best_response"].model_validate(
            {"by": "USA", "method": "closed_form", "instrument": "per_partner"})
    step = ACTIONS["best_response"].model_validate({"by": "USA", "method": "closed_form"})
    assert "closed form" in step.describe()


def test_closed_form_retaliation_runs_no_numerical_search(monkeypatch) -> None:
    sim = sim_at(mini_world())
    tr = sim.get(TradeState)
    ACTIONS["tariff"].model_validate({"by": "USA", "on": ["CHN", "EU"], "rate": 0.3}).apply(sim)
    t_before = tr.t.copy()
    ref = optimal_retaliation(sim.world, "EU", "USA", t_before, params=sim.params)

    def no_search(*args, **kwargs):
        raise AssertionError("the numerical search ran")

    monkeypatch.setattr(retaliation_module, "search_uniform", no_search)
    solves = sim.evaluator().solves
    ACTIONS["retaliation"].model_validate(
        {"by": "EU", "against": "USA", "rule": "optimal", "method": "closed_form"}).apply(sim)
    assert sim.evaluator().solves - solves <= 3
    usa, deu = sim.world.index("USA"), sim.world.index("DEU")
    assert tr.t[usa, deu] == pytest.approx(ref.closed_form)
    note = sim.notes["retaliation_optimal_EU_2025-06-01"]
    assert list(note["method"]) == ["closed_form"] and bool(note["applied"].iloc[0])
    assert note["welfare_pct"].iloc[0] == pytest.approx(100 * (ref.welfare_closed_form - 1),
                                                        rel=1e-9)
