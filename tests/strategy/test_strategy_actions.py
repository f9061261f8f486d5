"""Scenario steps of the strategy layer: best_response, trade_war and retaliation rule: optimal,
on a policy state and through a scenario file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from tests.conftest import mini_world
from worldorder import load_scenario, simulate
from worldorder.scenarios import ACTIONS
from worldorder.scenarios.actions import PolicyState
from worldorder.strategy import best_response, optimal_retaliation, trade_war
from worldorder.trade.params import resolve_params


def _state(date: str = "2025-06-01") -> PolicyState:
    w = mini_world()
    state = PolicyState.start(w)
    state.date = date
    state.params = resolve_params(w, "ignatenko2025")
    return state


def _act(state: PolicyState, name: str, **fields: object) -> None:
    ACTIONS[name].model_validate(fields).apply(state)


def test_best_response_step_sets_the_best_response_to_the_current_state() -> None:
    state = _state()
    _act(state, "tariff", by="CHN", on=["USA"], rate=0.4)
    t_before = state.t.copy()
    _act(state, "best_response", by="USA")
    ref = best_response(state.world, "USA", t_before, params=state.params)
    assert np.allclose(state.t, ref.t, atol=1e-9)
    note = state.notes["best_response_USA_2025-06-01"]
    assert note.loc[0, "rate"] == pytest.approx(ref.rate, abs=1e-9)
    assert note.loc[0, "partner"] == "all" and bool(note.loc[0, "converged"])


def test_trade_war_step_sets_nash_tariffs_and_records_the_report() -> None:
    state = _state()
    t0 = state.t.copy()
    _act(state, "trade_war", players=["USA", "CHN"], targets="players")
    ref = trade_war(state.world, ["USA", "CHN"], t=t0, targets="players", params=state.params)
    assert np.allclose(state.t, ref.t, atol=1e-9)
    table = state.notes["trade_war_2025-06-01"]
    conv = state.notes["trade_war_2025-06-01_convergence"]
    assert list(table["player"]) == ["USA", "CHN"]
    assert list(conv["start"]) == ["baseline", "free_trade", "high"] and conv["converged"].all()
    _act(state, "trade_war", players=["USA", "CHN"])  # a second war on the same date
    assert "trade_war_2025-06-01_2" in state.notes
    with pytest.raises(ValidationError, match="players must be distinct"):
        ACTIONS["trade_war"].model_validate({"players": ["USA", "USA"]})


@pytest.mark.parametrize("method", ["numerical", "closed_form"])
def test_optimal_retaliation_rule(method: str) -> None:
    state = _state()
    w = state.world
    _act(state, "tariff", by="USA", on=["CHN", "EU"], rate=0.3)
    t_before = state.t.copy()
    _act(state, "retaliation", by="EU", against="USA", rule="optimal", method=method)
    ref = optimal_retaliation(w, "EU", "USA", t_before, params=state.params)
    rate = ref.numerical if method == "numerical" else ref.closed_form
    usa = w.index("USA")
    assert state.t[usa, w.index("DEU")] == state.t[usa, w.index("FRA")] == pytest.approx(rate)
    assert state.t[usa, w.index("CHN")] == t_before[usa, w.index("CHN")]  # CHN did not act
    note = state.notes["retaliation_optimal_EU_2025-06-01"]
    assert note.set_index("method").loc[method, "applied"]


def test_optimal_retaliation_by_all_is_one_group_of_the_taxed() -> None:
    state = _state("undated")
    w = state.world
    _act(state, "tariff", by="USA", on=["CHN", "JPN"], rate=0.3)
    _act(state, "retaliation", against="USA", rule="optimal")
    usa = w.index("USA")
    rate = state.t[usa, w.index("CHN")]
    assert state.t[usa, w.index("JPN")] == rate and rate > 0.03
    assert state.t[usa, w.index("DEU")] == w.tariffs[usa, w.index("DEU")]
    assert "retaliation_optimal_all" in state.notes
    with pytest.raises(ValidationError, match="rule: optimal only"):
        ACTIONS["retaliation"].model_validate({"against": "USA", "method": "numerical"})


def test_describe_strategy_steps() -> None:
    br = ACTIONS["best_response"].model_validate(
        {"by": "USA", "instrument": "per_partner", "partners": ["CHN", "EU"]})
    assert br.describe() == "USA sets its per-partner best-response tariff on CHN, EU"
    assert br.involved() == ["USA", "CHN", "EU"]
    tw = ACTIONS["trade_war"].model_validate({"players": ["USA", "CHN"]})
    assert tw.describe() == "trade war among USA, CHN (Nash tariffs on all imports)"
    rt = ACTIONS["retaliation"].model_validate({"by": ["EU"], "against": "USA",
                                                "rule": "optimal"})
    assert rt.describe() == "EU retaliate against USA (optimal common rate, numerical)"


SCENARIO = """name: strategy-steps
description: a test of the strategy steps in a dated scenario
dataset: {dataset}
model: {{preset: ignatenko2025}}
steps:
  - date: 2025-04-02
    tariff: {{by: USA, on: all, rate: 0.10}}
  - date: 2025-04-10
    retaliation: {{by: [CHN], against: USA, rule: optimal}}
  - date: 2025-05-01
    best_response: {{by: USA, partners: [CHN]}}
  - date: 2025-06-01
    trade_war: {{players: [USA, CHN, EU], targets: players}}
"""


def test_strategy_steps_run_in_a_scenario(tmp_path: Path, mini_dataset: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.format(dataset=mini_dataset))
    res = simulate(load_scenario(path))
    assert {"retaliation_optimal_CHN_2025-04-10", "best_response_USA_2025-05-01",
            "trade_war_2025-06-01", "trade_war_2025-06-01_convergence"} <= set(res.notes)
    pol = res.policies.set_index(["imposer", "target"])
    war = res.notes["trade_war_2025-06-01"].set_index("player")
    assert pol.loc[("CHN", "USA"), "rate_after"] == pytest.approx(war.loc["CHN", "nash_rate"])
    assert pol.loc[("DEU", "USA"), "rate_after"] == pytest.approx(war.loc["EU", "nash_rate"])
