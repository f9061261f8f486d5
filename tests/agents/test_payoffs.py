"""Payoffs from the layers: the components an agent records, the projection it scores
candidates with, and the doctrine's weights (overridable from the scenario)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.builders import mini_world, write_agents_scenario
from worldorder.agents.payoffs import COMPONENTS, total
from worldorder.engine.layers.trade import TradeState
from worldorder.errors import ScenarioError
from worldorder.scenarios import build_simulation, load_scenario, simulate_timeline
from worldorder.scenarios.scenario import Scenario
from worldorder.trade.instruments import apply_change, tariff_change

WORLD = mini_world()
#: an America-First US that neither deals, escalates nor leaves an organisation: it never moves
STILL = {"doctrine": "america_first",
         "params": {"opening": "none", "open_rate": -1.0, "upper": 0.0, "exits": False}}


def scenario(agents: dict[str, Any], steps: list[dict[str, Any]] | None = None,
             periods: int = 3) -> Scenario:
    return Scenario.from_dict({
        "name": "payoffs", "dataset": "mini", "seed": 0,
        "clock": {"start": "2025-01-01", "periods": periods, "frequency": "year"},
        "steps": steps or [], "layers": {"agents": {"agents": agents}}})


US_TARIFF = [{"date": "2025-01-01", "tariff": {"by": "USA", "on": "all", "rate": 0.2}}]


def test_the_projection_of_the_tariffs_in_force_is_what_the_layers_then_record() -> None:
    sim = build_simulation(scenario({"USA": STILL}, US_TARIFF), world=WORLD)
    sim.step()  # 2025: the US tariffs of the record
    layer = sim.layer("agents")
    standing = layer.standing(sim, "2026-01-01")  # type: ignore[attr-defined]
    t = sim.get(TradeState).t.copy()
    welfare = 100.0 * (sim.evaluator().welfare(t) - 1.0)
    projected = standing.project("USA", t, welfare)
    sim.step()  # 2026: nobody moves
    pay = sim.tables()["agent_payoffs"]
    row = pay[(pay["date"] == "2026-01-01") & (pay["agent"] == "USA")].iloc[0]
    for comp, col in (("welfare", "welfare_pct"), ("security", "security_pct"),
                      ("legitimacy", "legitimacy_pct"),
                      ("legitimacy_allies", "legitimacy_allies_pct"),
                      ("alignment", "alignment_pts")):
        assert projected[comp] == pytest.approx(float(row[col]), rel=1e-9, abs=1e-12), comp
    # the legitimacy step is not trivial here: coercion keeps pressing
    first = pay[(pay["date"] == "2025-01-01") & (pay["agent"] == "USA")].iloc[0]
    assert row["legitimacy_pct"] < first["legitimacy_pct"] < 0.0
    # more coercion of Japan: lower legitimacy, Japan's position moves away from the US
    more = apply_change(t, WORLD.tariffs, tariff_change(WORLD, "USA", ["JPN"], 0.5),
                        basis="total")
    harder = standing.project("USA", more, 100.0 * (sim.evaluator().welfare(more) - 1.0))
    assert harder["legitimacy"] < projected["legitimacy"]
    assert harder["legitimacy_allies"] < projected["legitimacy_allies"]
    assert harder["alignment"] < projected["alignment"]


def test_components_are_zero_at_the_baseline_and_the_payoff_is_their_weighted_sum() -> None:
    res = simulate_timeline(scenario({"USA": {**STILL, "params": {
        **STILL["params"], "weights": {"legitimacy": 2.0, "alignment": 0.5}}},
        "JPN": {"doctrine": "hedger"}}, US_TARIFF), world=WORLD)
    pay = res.tables["agent_payoffs"]
    weights = {"welfare": 1.0, "security": 0.5, "legitimacy": 2.0, "alignment": 0.5}
    for r in pay.itertuples():
        comp = {"welfare": r.welfare_pct, "security": r.security_pct,
                "legitimacy": r.legitimacy_pct, "alignment": r.alignment_pts}
        w = weights if r.agent == "USA" else {"welfare": 1.0, "security": 0.5,
                                              "legitimacy": 0.0, "alignment": 0.0}
        assert r.payoff == pytest.approx(total(comp, w), abs=1e-12)
    usa = pay[pay["agent"] == "USA"].iloc[0]
    assert usa["weights"] == "welfare=1 security=0.5 legitimacy=2 alignment=0.5"
    jpn = pay[pay["agent"] == "JPN"]
    assert jpn["legitimacy_pct"].isna().all() and jpn["alignment_pts"].isna().all()
    # nobody moving at the baseline: every component is zero
    calm = simulate_timeline(scenario({"USA": STILL}), world=WORLD).tables["agent_payoffs"]
    for col in ("welfare_pct", "security_pct", "legitimacy_pct", "alignment_pts", "payoff"):
        assert np.allclose(calm[col].to_numpy(dtype=float), 0.0, atol=1e-9), col


def test_security_is_capability_against_threat_with_alliance_credibility() -> None:
    sim = build_simulation(scenario({"USA": STILL, "JPN": {"doctrine": "hedger"}}),
                           world=WORLD)
    sim.step()
    st = sim.layer("agents").standing(sim, "2026-01-01")  # type: ignore[attr-defined]
    m = np.nan_to_num(st.milex)
    k = {c: WORLD.index(c) for c in WORLD.codes}
    c, t = st.capability_threat("JPN", st.milex)
    # Japan's ally is the US (credibility 0.5, the dated-power default); its threat China
    assert st.allies_of("JPN") == {"USA": 0.5}
    assert c == pytest.approx(m[k["JPN"]] + 0.5 * m[k["USA"]])
    assert t == pytest.approx(max(m[k[x]] for x in WORLD.codes if x not in ("JPN", "USA")))
    assert t == pytest.approx(m[k["CHN"]])


def test_weights_in_a_scenario_are_checked_where_they_are_written(tmp_path: Path,
                                                                  mini_dataset: Path) -> None:
    path = write_agents_scenario(tmp_path, mini_dataset)
    path.write_text(path.read_text().replace(
        "CHN: {doctrine: reciprocator}",
        "CHN: {doctrine: reciprocator, params: {weights: {wealth: 1}}}"))
    with pytest.raises(ScenarioError, match=r"layers.agents.agents.CHN.*unknown payoff "
                                            r"component 'wealth'"):
        build_simulation(load_scenario(path))


def test_components_are_the_documented_four() -> None:
    assert COMPONENTS == ("welfare", "security", "legitimacy", "alignment")
