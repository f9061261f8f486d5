"""One parameter store and one pledge path: a scenario's ``layers:`` section and the
``security_params`` step set the same parameters, and the ``security`` and ``alliances`` layers
follow the same pledge rule."""

from __future__ import annotations

import numpy as np
import pytest

from tests.builders import mini_world
from worldorder.data import load_world
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import build_simulation
from worldorder.security.config import SecurityModels
from worldorder.security.layer_power import pledge_share

PLEDGE = """name: t
dataset: world-2024
{layers}steps:
  - date: 2025-01-01
    source: a test
{params}    defense_pledge: {{by: [DEU], target_pct_gdp: 5.0, by_year: 2035}}
  - date: 2027-01-01
    mediation: {{mediator: USA, parties: [IND, PAK]}}
"""


def _run(layers: str = "", params: str = "") -> tuple[dict, SecurityModels]:
    text = PLEDGE.format(layers=layers, params=params)
    sim = build_simulation(Scenario.from_text(text),
                           layers=["trade", "politics", "security_models", "security",
                                   "alliances"])
    sim.run()
    return sim.tables(), sim.get(SecurityModels)


def test_the_layers_section_and_security_params_are_one_mechanism() -> None:
    by_layers, cfg = _run(layers="layers:\n  security: {pledge_rule: coercive, credibility: "
                                 "0.4, speed: 0.5}\n")
    p = cfg.params("dated-power")
    assert (p["pledge_rule"], p["credibility"], p["speed"]) == ("coercive", 0.6, 0.5)
    step = ("    security_params: {model: dated-power, params: {pledge_rule: coercive, "
            "credibility: 0.6, speed: 0.5}}\n  - date: 2025-01-01\n")
    by_step, _ = _run(params=step)
    for table in ("security_power", "defense_paths"):
        a, b = by_layers[table], by_step[table]
        num = a.select_dtypes("number").columns
        assert np.allclose(a[num].to_numpy(float), b[num].to_numpy(float), equal_nan=True)
    assert set(by_layers["defense_paths"]["rule"]) == {"coercive"}


def test_both_layers_follow_the_one_pledge_path() -> None:
    tables, _ = _run(layers="layers:\n  security: {pledge_rule: coercive, credibility: 0.5, "
                            "speed: 0.3}\n")
    w = load_world("world-2024")
    s0 = w.economies.loc["DEU", "military_expenditure"] / w.economies.loc["DEU", "gdp"]
    power = tables["security_power"]
    deu = power[power["economy"] == "DEU"].set_index("date")["milex_share_gdp"]
    want = pledge_share(np.array([s0]), 0.05, 2027.0, 2025.0, 2035, np.array([0.5]), None,
                        0.3)[0]
    assert deu["2027-01-01"] == pytest.approx(want, rel=1e-12)
    paths = tables["defense_paths"]
    deu_p = paths[paths["economy"] == "DEU"].set_index("year")
    share0 = deu_p.loc[2024, "share_pct_gdp"] / 100
    assert deu_p.loc[2030, "share_pct_gdp"] / 100 == pytest.approx(
        pledge_share(np.array([share0]), 0.05, 2030, 2025.0, 2035, np.array([0.5]), None,
                     0.3)[0], rel=1e-9)


def test_security_params_moves_the_order_layer_from_its_date() -> None:
    text = ("name: t\nsteps:\n  - date: 2025-02-01\n    tariff: {by: USA, on: [CHN], rate: 0.3}\n"
            "  - date: 2025-03-01\n    security_params: {model: legitimacy, params: {a: 3.0}}\n"
            "  - date: 2025-04-01\n    tariff: {by: USA, on: [CHN], rate: 0.31}\n")
    base = text.replace("a: 3.0", "a: 0.3")
    runs = []
    for t in (base, text):
        sim = build_simulation(Scenario.from_text(t), world=mini_world())
        sim.run()
        leg = sim.tables()["legitimacy"]
        runs.append(leg[(leg["power"] == "USA") & (leg["economy"] == "CHN")]
                    .set_index("date")["legitimacy"])
    assert runs[1]["2025-02-01"] == runs[0]["2025-02-01"]
    assert runs[1]["2025-04-01"] < runs[0]["2025-04-01"]
