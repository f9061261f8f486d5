"""Scenario steps of the strategy layer: best_response, trade_war and retaliation rule: optimal,
on a policy state and through a scenario file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from tests.builders import mini_world, sim_at
from worldorder import load_scenario, simulate
from worldorder.engine import Simulation, TradeState
from worldorder.scenarios import ACTIONS
from worldorder.strategy import best_response, optimal_retaliation, trade_war


def _sim(date: str = "2025-06-01") -> Simulation:
    return sim_at(mini_world(), date)


def _act(sim: Simulation, name: str, **fields: object) -> None:
    ACTIONS[name].model_validate(fields).apply(sim)


def test_best_response_step_sets_the_best_response_to_the_current_state() -> None:
    sim = _sim()
    tr = sim.get(TradeState)
    _act(sim, "tariff", by="CHN", on=["USA"], rate=0.4)
    t_before = tr.t.copy()
    _act(sim, "best_response", by="USA")
    ref = best_response(sim.world, "USA", t_before, params=sim.params)
    assert np.allclose(tr.t, ref.t, atol=1e-9)
    note = sim.notes["best_response_USA_2025-06-01"]
    assert note.loc[0, "rate"] == pytest.approx(ref.rate, abs=1e-9)
    assert note.loc[0, "partner"] == "all" and bool(note.loc[0, "converged"])


def test_trade_war_step_sets_nash_tariffs_and_records_the_report() -> None:
    sim = _sim()
    tr = sim.get(TradeState)
    t0 = tr.t.copy()
    _act(sim, "trade_war", players=["USA", "CHN"], targets="players")
    ref = trade_war(sim.world, ["USA", "CHN"], t=t0, targets="players", params=sim.params)
    assert np.allclose(tr.t, ref.t, atol=1e-9)
    table = sim.notes["trade_war_2025-06-01"]
    conv = sim.notes["trade_war_convergence_2025-06-01"]
    assert list(table["player"]) == ["USA", "CHN"]
    assert list(conv["start"]) == ["baseline", "free_trade", "high"] and conv["converged"].all()
    _act(sim, "trade_war", players=["USA", "CHN"])  # a second war on the same date
    assert "trade_war_2025-06-01_2" in sim.notes
    with pytest.raises(ValidationError, match="players must be distinct"):
        ACTIONS["trade_war"].model_validate({"players": ["USA", "USA"]})


@pytest.mark.parametrize("method", ["numerical", "closed_form"])
def test_optimal_retaliation_rule(method: str) -> None:
    sim = _sim()
    tr = sim.get(TradeState)
    w = sim.world
    _act(sim, "tariff", by="USA", on=["CHN", "EU"], rate=0.3)
    t_before = tr.t.copy()
    _act(sim, "retaliation", by="EU", against="USA", rule="optimal", method=method)
    ref = optimal_retaliation(w, "EU", "USA", t_before, params=sim.params)
    rate = ref.numerical if method == "numerical" else ref.closed_form
    usa = w.index("USA")
    assert tr.t[usa, w.index("DEU")] == tr.t[usa, w.index("FRA")] == pytest.approx(rate)
    assert tr.t[usa, w.index("CHN")] == t_before[usa, w.index("CHN")]  # CHN did not act
    note = sim.notes["retaliation_optimal_EU_2025-06-01"]
    assert note.set_index("method").loc[method, "applied"]


def test_optimal_retaliation_by_all_is_one_group_of_the_taxed() -> None:
    sim = _sim("undated")
    tr = sim.get(TradeState)
    w = sim.world
    _act(sim, "tariff", by="USA", on=["CHN", "JPN"], rate=0.3)
    _act(sim, "retaliation", against="USA", rule="optimal")
    usa = w.index("USA")
    rate = tr.t[usa, w.index("CHN")]
    assert tr.t[usa, w.index("JPN")] == rate and rate > 0.03
    assert tr.t[usa, w.index("DEU")] == w.tariffs[usa, w.index("DEU")]
    assert "retaliation_optimal_all" in sim.notes
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
            "trade_war_2025-06-01", "trade_war_convergence_2025-06-01"} <= set(res.notes)
    pol = res.policies.set_index(["imposer", "target"])
    war = res.notes["trade_war_2025-06-01"].set_index("player")
    assert pol.loc[("CHN", "USA"), "rate_after"] == pytest.approx(war.loc["CHN", "nash_rate"])
    assert pol.loc[("DEU", "USA"), "rate_after"] == pytest.approx(war.loc["EU", "nash_rate"])
