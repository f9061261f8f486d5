"""The security layer in a run: GDP with the trade model's real income, military spending with
defence pledges, polarity and regional balances on every date."""

from __future__ import annotations

import numpy as np
import pytest

from tests.builders import mini_world
from worldorder.data import load_world
from worldorder.engine import Clock, Simulation
from worldorder.errors import ScenarioError
from worldorder.registry import LAYERS
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import simulate_timeline
from worldorder.security.layer import SecurityLayer, dataset_regions, date_to_year
from worldorder.trade.params import resolve_params


def test_registered_with_schemas() -> None:
    assert LAYERS["security"] is SecurityLayer
    assert set(SecurityLayer.tables) == {"security_power", "security_polarity",
                                         "security_regions"}
    assert SecurityLayer.priority > LAYERS["politics"].priority > LAYERS["trade"].priority


def test_date_to_year() -> None:
    assert date_to_year("2025-01-01", 2024) == 2025.0
    assert date_to_year("2025-07-02", 2024) == pytest.approx(2025 + 182 / 365)
    assert date_to_year("undated", 2024) == 2024.0


def test_regions_of_the_dataset() -> None:
    regs = dataset_regions(load_world("world-2024"))
    assert "EU-REST" in regs["europe"] and "RUS" in regs["europe"]
    assert set(regs["northeast_asia"]) == {"RUS", "CHN", "JPN", "KOR", "TWN"}
    assert all("ROW" not in members for members in regs.values())


@pytest.fixture(scope="module")
def run():
    sc = Scenario.from_dict({"name": "sec", "dataset": "world-2024", "steps": [
        {"date": "2025-04-05", "tariff": {"by": "USA", "on": "all", "rate": 0.10}},
        {"date": "2025-06-25", "defense_pledge": {"by": ["DEU", "POL"], "target_pct_gdp": 5.0,
                                                  "core_pct_gdp": 3.5, "by_year": 2035}},
        {"date": "2030-06-25", "mediation": {"mediator": "USA", "parties": ["IND", "PAK"]}},
    ]})
    return simulate_timeline(sc)


def test_gdp_moves_with_real_income_and_spending_with_pledges(run) -> None:
    power = run.tables["security_power"]
    assert set(power["date"]) == {"2025-04-05", "2025-06-25", "2030-06-25"}
    econ = run.tables["economies"]
    w = econ[econ["date"] == "2025-04-05"].set_index("economy")["welfare_pct"]
    p = power[power["date"] == "2025-04-05"].set_index("economy")
    np.testing.assert_allclose(p.loc[w.index, "gdp_change_pct"], w, rtol=1e-8, atol=1e-10)
    world = load_world("world-2024")
    gdp0 = dict(zip(world.codes, world.gdp, strict=True))
    assert p.loc["USA", "gdp"] == pytest.approx(gdp0["USA"] * (1 + w["USA"] / 100))
    # before the pledge: the baseline share; after: linear towards 5% by 2035
    deu0 = world.economies.loc["DEU", "military_expenditure"] / gdp0["DEU"]
    assert p.loc["DEU", "milex_share_gdp"] == pytest.approx(deu0)
    assert np.isnan(p.loc["DEU", "pledge_pct_gdp"])
    on = power[power["date"] == "2025-06-25"].set_index("economy")
    assert on.loc["DEU", "milex_share_gdp"] == pytest.approx(deu0)
    late = power[power["date"] == "2030-06-25"].set_index("economy")
    start = date_to_year("2025-06-25", 2024)
    frac = (date_to_year("2030-06-25", 2024) - start) / (2035 - start)
    assert late.loc["DEU", "milex_share_gdp"] == pytest.approx(deu0 + frac * (0.05 - deu0))
    assert late.loc["DEU", "milex"] == pytest.approx(late.loc["DEU", "milex_share_gdp"]
                                                     * late.loc["DEU", "gdp"])
    assert late.loc["DEU", "pledge_pct_gdp"] == 5.0 and late.loc["DEU", "extra_milex"] > 0
    # an economy without a pledge keeps its share
    assert late.loc["FRA", "milex_share_gdp"] == pytest.approx(
        on.loc["FRA", "milex_share_gdp"])
    # shares among states sum to one; aggregates have none
    for col in ("gdp_share", "milex_share", "net_power_share"):
        assert late[col].sum() == pytest.approx(1.0)
    assert np.isnan(late.loc["ROW", "gdp_share"]) and np.isnan(late.loc["EU-REST", "gdp_share"])


def test_polarity_and_regions_every_date(run) -> None:
    pol = run.tables["security_polarity"]
    assert len(pol) == 3 * 3
    np.testing.assert_allclose(pol["effective_poles"], 1 / pol["hhi"])
    last = pol[pol["date"] == "2030-06-25"].set_index("index")
    assert last.loc["gdp", "leader"] == "USA"
    reg = run.tables["security_regions"]
    r = reg[(reg["date"] == "2030-06-25") & (reg["index"] == "milex")].set_index("region")
    assert r.loc["northeast_asia", "leader"] == "CHN"
    assert set(r.index) == {"europe", "northeast_asia", "gulf", "south_asia"}


def test_a_dataset_without_military_expenditure_keeps_nan() -> None:
    world = mini_world()
    sim = Simulation(world, resolve_params(world, "ignatenko2025"),
                     clock=Clock(("2025-01-01",)))
    sim.run()
    power = sim.tables()["security_power"]
    assert power["milex"].isna().all() and power["gdp"].notna().all()
    assert power["milex_share"].isna().all() and power["gdp_share"].notna().all()


def _coercive(layers: dict) -> Scenario:
    return Scenario.from_dict({"name": "sec-c", "dataset": "world-2024", "layers": layers,
                               "steps": [
        {"date": "2025-01-01", "defense_pledge": {"by": ["DEU"], "target_pct_gdp": 5.0,
                                                  "by_year": 2035}},
        {"date": "2027-01-01", "mediation": {"mediator": "USA", "parties": ["IND", "PAK"]}},
    ]})


def test_coercive_pledge_rule_from_the_scenario_layers_section() -> None:
    world = load_world("world-2024")
    s0 = world.economies.loc["DEU", "military_expenditure"] / world.economies.loc["DEU", "gdp"]
    run = simulate_timeline(_coercive({"security": {"pledge_rule": "coercive",
                                                    "credibility": 0.5, "speed": 0.3}}))
    p = run.tables["security_power"]
    deu = p[p["economy"] == "DEU"].set_index("date")["milex_share_gdp"]
    star = s0 + 0.5 * (0.05 - s0)
    assert deu["2025-01-01"] == pytest.approx(s0)
    assert deu["2027-01-01"] == pytest.approx(star - (star - s0) * 0.7 ** 2)
    full = simulate_timeline(_coercive({"security": {"pledge_rule": "coercive",
                                                     "credibility": 1.0, "speed": 1.0}}))
    q = full.tables["security_power"]
    assert q[(q["economy"] == "DEU") & (q["date"] == "2027-01-01")][
        "milex_share_gdp"].iloc[0] == pytest.approx(0.05)


def test_bad_layer_parameters_are_located_errors() -> None:
    with pytest.raises(ScenarioError, match="credibility"):
        simulate_timeline(_coercive({"security": {"pledge_rule": "coercive",
                                                  "credibility": 1.5}}))
    with pytest.raises(ScenarioError, match="pledge_rule"):
        simulate_timeline(_coercive({"security": {"pledge_rule": "sometimes"}}))
