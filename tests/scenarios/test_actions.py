"""Every registered action, through one shared harness (adding an action = adding a sample)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import mini_world
from worldorder.scenarios import ACTIONS
from worldorder.scenarios.actions import PolicyState
from worldorder.scenarios.actions_deals import EMBARGO_COST
from worldorder.trade.params import resolve_params

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
}
PRIOR = {  # what must happen before an action can apply
    "retaliation": [("tariff", {"by": "USA", "on": ["CHN"], "rate": 0.3})],
    "exemption": [("tariff", {"by": "USA", "on": ["CAN", "MEX"], "rate": 0.25})],
}


def _state() -> PolicyState:
    w = mini_world()
    state = PolicyState.start(w)
    state.date = "2025-06-01"
    state.params = resolve_params(w, "ignatenko2025")
    return state


def test_every_registered_action_has_a_sample() -> None:
    assert set(ACTIONS) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_action_contract(name: str) -> None:
    cls = ACTIONS[name]
    assert cls.name == name and cls.summary and cls.references and cls.__doc__
    assert cls.classifier.get("layer") in {"trade", "institutions", "security", "strategy"}
    state = _state()
    for prior, params in PRIOR.get(name, []):
        ACTIONS[prior].model_validate(params).apply(state)
    action = cls.model_validate(SAMPLES[name])
    t, d = state.t.copy(), state.dhat.copy()
    recorded = sum(len(getattr(state.political, k)) for k in
                   ("pledges", "defense_targets", "aid", "forces", "events"))
    members = len(state.political.memberships)
    action.apply(state)
    changed_trade = not (np.array_equal(t, state.t) and np.array_equal(d, state.dhat))
    after = sum(len(getattr(state.political, k)) for k in
                ("pledges", "defense_targets", "aid", "forces", "events"))
    if cls.classifier.get("priced"):
        assert changed_trade, f"{name} is classified as priced but changed no tariff or cost"
    else:
        assert not changed_trade
        assert after > recorded or len(state.political.memberships) != members
    assert isinstance(action.describe(), str) and action.describe()
    assert all(isinstance(p, str) for p in action.involved())
    for _, nm in action.names_used():
        assert state.world.is_known(nm)


def test_tariff_deal_sets_rates_both_ways_and_records_pledges() -> None:
    state = _state()
    w = state.world
    usa, jpn = w.index("USA"), w.index("JPN")
    ACTIONS["tariff"].model_validate({"by": "USA", "on": ["JPN"], "rate": 0.24}).apply(state)
    ACTIONS["tariff_deal"].model_validate(SAMPLES["tariff_deal"]).apply(state)
    assert state.t[jpn, usa] == pytest.approx(0.15)  # all-in
    assert state.t[usa, jpn] == pytest.approx(0.0)
    assert state.political.pledges[0]["amount"] == 550
    assert state.political.pledges[0]["date"] == "2025-06-01"


def test_exemption_scales_only_the_additional_duty() -> None:
    state = _state()
    w = state.world
    usa, can = w.index("USA"), w.index("CAN")
    base = state.t0[can, usa]
    ACTIONS["tariff"].model_validate({"by": "USA", "on": ["CAN"], "rate": 0.25}).apply(state)
    ACTIONS["exemption"].model_validate({"by": "USA", "on": ["CAN"], "share": 0.8}).apply(state)
    assert state.t[can, usa] == pytest.approx(base + 0.05)


def test_sanctions_cost_and_embargo() -> None:
    state = _state()
    w = state.world
    usa, chn, deu = w.index("USA"), w.index("CHN"), w.index("DEU")
    ACTIONS["sanction"].model_validate(SAMPLES["sanction"]).apply(state)
    assert state.dhat[chn, usa] == state.dhat[usa, chn] == pytest.approx(1.5)
    assert state.dhat[chn, deu] == pytest.approx(1.5)  # the EU group
    assert state.dhat[deu, usa] == 1.0
    ACTIONS["sanction"].model_validate({"by": "JPN", "on": ["VNM"], "embargo": True,
                                        "both_ways": False}).apply(state)
    assert state.dhat[w.index("VNM"), w.index("JPN")] == EMBARGO_COST
    assert state.dhat[w.index("JPN"), w.index("VNM")] == 1.0
    with pytest.raises(ValueError, match="either a cost"):
        ACTIONS["sanction"].model_validate({"by": "JPN", "on": ["VNM"]})


def test_withdraw_and_join_change_memberships() -> None:
    state = _state()
    ACTIONS["withdraw"].model_validate(SAMPLES["withdraw"]).apply(state)
    assert state.political.is_member("USA", "WHO", "2026-01-21")
    assert not state.political.is_member("USA", "WHO", "2026-01-22")
    with pytest.raises(ValueError, match="not a member of NATO"):
        ACTIONS["withdraw"].model_validate({"economy": "CHN", "organization": "NATO"}
                                           ).apply(state)
    ACTIONS["join"].model_validate({"economy": "VNM", "organization": "CPTPP",
                                    "effective": "2026-01-01"}).apply(state)
    assert state.political.is_member("VNM", "CPTPP", "2026-06-01")
    assert not state.political.is_member("VNM", "CPTPP", "2025-06-01")
