"""Every registered action, through one shared harness (adding an action = adding a sample)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.builders import sim_at
from tests.conftest import mini_world
from worldorder.engine import PoliticalState, Simulation, TradeState
from worldorder.engine.actions.deals import EMBARGO_COST
from worldorder.scenarios import ACTIONS
from worldorder.security.config import SecurityModels

# A valid example of each action on the mini world (USA CHN CAN MEX DEU FRA JPN VNM, EU group).
SAMPLES: dict[str, dict] = {
    "tariff": {"by": "USA", "on": ["CHN"], "rate": 0.25},
    "reciprocal_tariff": {"by": "USA", "exempt": ["CAN", "MEX"]},
    "retaliation": {"by": ["CHN"], "against": "USA"},
    "tariff_deal": {"partner": "JPN", "rate": 0.15, "partner_rate": 0.0,
                    "pledges": [{"kind": "investment", "amount": 550, "by": "JPN"}]},
    "exemption": {"by": "USA", "on": ["CAN", "MEX"], "share": 0.5},
    "sanction": {"by": ["USA", "EU"], "on": ["CHN"], "cost": 0.5},
    "withdraw": {"economy": "USA", "organization": "WHO", "effective": "2026-01-22"},
    "join": {"economy": "VNM", "organization": "CPTPP"},
    "defense_pledge": {"by": ["DEU", "FRA"], "target_pct_gdp": 5.0, "core_pct_gdp": 3.5,
                       "by_year": 2035},
    "aid_cut": {"donor": "USA", "share": 0.83, "program": "USAID"},
    "troop_posture": {"by": "USA", "from_host": "DEU", "to_host": "home", "troops": 9500},
    "mediation": {"mediator": "USA", "parties": ["CHN", "VNM"], "others": ["Rwanda"],
                  "outcome": "ceasefire"},
    "strike": {"by": ["USA"], "target": "CHN", "description": "a test"},
    "best_response": {"by": "USA", "instrument": "per_partner", "partners": ["CHN", "EU"]},
    "trade_war": {"players": ["USA", "CHN"], "targets": "players"},
    "coalition": {"members": ["EU", "CAN", "JPN"], "against": "USA", "response": "optimal"},
    "commitment": {"patron": "USA", "allies": ["DEU", "JPN"], "credibility": 0.4},
    "security_params": {"model": "legitimacy", "params": {"a": 0.5}},
}
PRIOR = {  # what must happen before an action can apply
    "retaliation": [("tariff", {"by": "USA", "on": ["CHN"], "rate": 0.3})],
    "exemption": [("tariff", {"by": "USA", "on": ["CAN", "MEX"], "rate": 0.25})],
}


def _sim() -> Simulation:
    return sim_at(mini_world(), "2025-06-01")


def test_every_registered_action_has_a_sample() -> None:
    assert set(ACTIONS) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_action_contract(name: str) -> None:
    cls = ACTIONS[name]
    assert cls.name == name and cls.summary and cls.references and cls.__doc__
    assert cls.classifier.get("layer") in {"trade", "institutions", "security", "strategy"}
    sim = _sim()
    tr, pol = sim.get(TradeState), sim.get(PoliticalState)
    for prior, params in PRIOR.get(name, []):
        ACTIONS[prior].model_validate(params).apply(sim)
    action = cls.model_validate(SAMPLES[name])
    t, d = tr.t.copy(), tr.dhat.copy()
    recorded = sum(len(getattr(pol, k)) for k in
                   ("pledges", "defense_targets", "aid", "forces", "events"))
    members = len(pol.memberships)
    cfg = sim.get(SecurityModels)
    settings = len(cfg.history) + len(cfg.commitments)
    action.apply(sim)
    changed_trade = not (np.array_equal(t, tr.t) and np.array_equal(d, tr.dhat))
    after = sum(len(getattr(pol, k)) for k in
                ("pledges", "defense_targets", "aid", "forces", "events"))
    if cls.classifier.get("priced"):
        assert changed_trade, f"{name} is classified as priced but changed no tariff or cost"
    else:
        assert not changed_trade
        assert after > recorded or len(pol.memberships) != members or \
            len(cfg.history) + len(cfg.commitments) > settings
    assert isinstance(action.describe(), str) and action.describe()
    assert all(isinstance(p, str) for p in action.involved())
    for _, nm in action.names_used():
        assert sim.world.is_known(nm)


def test_tariff_deal_sets_rates_both_ways_and_records_pledges() -> None:
    sim = _sim()
    tr, pol = sim.get(TradeState), sim.get(PoliticalState)
    w = sim.world
    usa, jpn = w.index("USA"), w.index("JPN")
    ACTIONS["tariff"].model_validate({"by": "USA", "on": ["JPN"], "rate": 0.24}).apply(sim)
    ACTIONS["tariff_deal"].model_validate(SAMPLES["tariff_deal"]).apply(sim)
    assert tr.t[jpn, usa] == pytest.approx(0.15)  # all-in
    assert tr.t[usa, jpn] == pytest.approx(0.0)
    assert pol.pledges[0].amount == 550
    assert pol.pledges[0].date == "2025-06-01"


def test_exemption_scales_only_the_additional_duty() -> None:
    sim = _sim()
    tr = sim.get(TradeState)
    w = sim.world
    usa, can = w.index("USA"), w.index("CAN")
    base = tr.t0[can, usa]
    ACTIONS["tariff"].model_validate({"by": "USA", "on": ["CAN"], "rate": 0.25}).apply(sim)
    ACTIONS["exemption"].model_validate({"by": "USA", "on": ["CAN"], "share": 0.8}).apply(sim)
    assert tr.t[can, usa] == pytest.approx(base + 0.05)


def test_sanctions_cost_and_embargo() -> None:
    sim = _sim()
    tr = sim.get(TradeState)
    w = sim.world
    usa, chn, deu = w.index("USA"), w.index("CHN"), w.index("DEU")
    ACTIONS["sanction"].model_validate(SAMPLES["sanction"]).apply(sim)
    assert tr.dhat[chn, usa] == tr.dhat[usa, chn] == pytest.approx(1.5)
    assert tr.dhat[chn, deu] == pytest.approx(1.5)  # the EU group
    assert tr.dhat[deu, usa] == 1.0
    ACTIONS["sanction"].model_validate({"by": "JPN", "on": ["VNM"], "embargo": True,
                                        "both_ways": False}).apply(sim)
    assert tr.dhat[w.index("VNM"), w.index("JPN")] == EMBARGO_COST
    assert tr.dhat[w.index("JPN"), w.index("VNM")] == 1.0
    with pytest.raises(ValueError, match="either a cost"):
        ACTIONS["sanction"].model_validate({"by": "JPN", "on": ["VNM"]})


def test_withdraw_and_join_change_memberships() -> None:
    sim = _sim()
    pol = sim.get(PoliticalState)
    ACTIONS["withdraw"].model_validate(SAMPLES["withdraw"]).apply(sim)
    assert pol.is_member("USA", "WHO", "2026-01-21")
    assert not pol.is_member("USA", "WHO", "2026-01-22")
    with pytest.raises(ValueError, match="not a member of NATO"):
        ACTIONS["withdraw"].model_validate({"economy": "CHN", "organization": "NATO"}
                                           ).apply(sim)
    ACTIONS["join"].model_validate({"economy": "VNM", "organization": "CPTPP",
                                    "effective": "2026-01-01"}).apply(sim)
    assert pol.is_member("VNM", "CPTPP", "2026-06-01")
    assert not pol.is_member("VNM", "CPTPP", "2025-06-01")
