"""Every registered action, each through its own subclass of the shared test case
(:class:`tests.builders.ActionTestCase`: registered and documented, its sample round-trips, it
applies as classified), plus the tests particular to it. Adding an action = adding a class."""

from __future__ import annotations

from typing import ClassVar

import pytest

from tests.builders import ActionTestCase
from worldorder.engine import PoliticalState, TradeState
from worldorder.engine.actions.deals import EMBARGO_COST
from worldorder.scenarios import ACTIONS
from worldorder.security.config import SecurityModels

# Samples are valid on the mini world (USA CHN CAN MEX DEU FRA JPN VNM, EU = DEU + FRA).


class TestTariff(ActionTestCase):
    name = "tariff"
    sample: ClassVar[dict[str, object]] = {"by": "USA", "on": ["CHN"], "rate": 0.25}


class TestReciprocalTariff(ActionTestCase):
    name = "reciprocal_tariff"
    sample: ClassVar[dict[str, object]] = {"by": "USA", "exempt": ["CAN", "MEX"]}


class TestRetaliation(ActionTestCase):
    name = "retaliation"
    sample: ClassVar[dict[str, object]] = {"by": ["CHN"], "against": "USA"}
    prior = (("tariff", {"by": "USA", "on": ["CHN"], "rate": 0.3}),)


class TestTariffDeal(ActionTestCase):
    name = "tariff_deal"
    sample: ClassVar[dict[str, object]] = {
        "partner": "JPN", "rate": 0.15, "partner_rate": 0.0,
        "pledges": [{"kind": "investment", "amount": 550, "by": "JPN"}]}

    def test_sets_rates_both_ways_and_records_pledges(self) -> None:
        sim = self.sim()
        tr, pol = sim.get(TradeState), sim.get(PoliticalState)
        usa, jpn = sim.world.index("USA"), sim.world.index("JPN")
        ACTIONS["tariff"].model_validate({"by": "USA", "on": ["JPN"], "rate": 0.24}).apply(sim)
        self.action().apply(sim)
        assert tr.t[jpn, usa] == pytest.approx(0.15)  # all-in
        assert tr.t[usa, jpn] == pytest.approx(0.0)
        assert pol.pledges[0].amount == 550
        assert pol.pledges[0].date == "2025-06-01"


class TestExemption(ActionTestCase):
    name = "exemption"
    sample: ClassVar[dict[str, object]] = {"by": "USA", "on": ["CAN", "MEX"], "share": 0.5}
    prior = (("tariff", {"by": "USA", "on": ["CAN", "MEX"], "rate": 0.25}),)

    def test_scales_only_the_additional_duty(self) -> None:
        sim = self.sim()
        tr = sim.get(TradeState)
        usa, can = sim.world.index("USA"), sim.world.index("CAN")
        base = tr.t0[can, usa]
        self.action(on=["CAN"], share=0.8).apply(sim)
        assert tr.t[can, usa] == pytest.approx(base + 0.05)


class TestSanction(ActionTestCase):
    name = "sanction"
    sample: ClassVar[dict[str, object]] = {"by": ["USA", "EU"], "on": ["CHN"], "cost": 0.5}

    def test_cost_and_embargo(self) -> None:
        sim = self.sim()
        tr = sim.get(TradeState)
        w = sim.world
        usa, chn, deu = w.index("USA"), w.index("CHN"), w.index("DEU")
        self.action().apply(sim)
        assert tr.dhat[chn, usa] == tr.dhat[usa, chn] == pytest.approx(1.5)
        assert tr.dhat[chn, deu] == pytest.approx(1.5)  # the EU group
        assert tr.dhat[deu, usa] == 1.0
        ACTIONS["sanction"].model_validate({"by": "JPN", "on": ["VNM"], "embargo": True,
                                            "both_ways": False}).apply(sim)
        assert tr.dhat[w.index("VNM"), w.index("JPN")] == EMBARGO_COST
        assert tr.dhat[w.index("JPN"), w.index("VNM")] == 1.0
        with pytest.raises(ValueError, match="either a cost"):
            ACTIONS["sanction"].model_validate({"by": "JPN", "on": ["VNM"]})


class TestWithdraw(ActionTestCase):
    name = "withdraw"
    sample: ClassVar[dict[str, object]] = {"economy": "USA", "organization": "WHO",
                                           "effective": "2026-01-22"}

    def test_membership_ends_on_the_effective_date(self) -> None:
        sim = self.sim()
        pol = sim.get(PoliticalState)
        self.action().apply(sim)
        assert pol.is_member("USA", "WHO", "2026-01-21")
        assert not pol.is_member("USA", "WHO", "2026-01-22")
        with pytest.raises(ValueError, match="not a member of NATO"):
            self.action(economy="CHN", organization="NATO").apply(sim)

    def test_organisations_outside_the_dataset_need_assume_member(self) -> None:
        sim = self.sim()
        pol = sim.get(PoliticalState)
        with pytest.raises(ValueError, match="assume_member"):
            self.action(organization=["IPCC"], effective=None).apply(sim)
        memo = self.action(organization=["IPCC", "UNFCCC", "WHO"], assume_member=True,
                           effective=None)
        memo.apply(sim)
        exits = [e for e in pol.events if e.kind == "withdraw"]
        assert [e.organization for e in exits] == ["IPCC", "UNFCCC", "WHO"]
        assert "assume_member" in exits[0].outcome and exits[2].outcome == ""
        assert not pol.is_member("USA", "IPCC", sim.date or "")
        assert "3 organisations" in memo.describe()
        assert [o for _, o in memo.organizations_used()] == ["IPCC", "UNFCCC", "WHO"]


class TestThreat(ActionTestCase):
    name = "threat"
    sample: ClassVar[dict[str, object]] = {
        "by": "USA", "on": ["DEU", "FRA"], "kind": "tariff", "rate": 0.10,
        "start": "2026-02-01", "escalate_to": 0.25, "escalate_on": "2026-06-01",
        "until": "2026-01-21", "credibility": 0.5, "demand": "a deal"}

    def test_records_the_threat_and_changes_no_tariff(self) -> None:
        sim = self.sim()
        self.action().apply(sim)
        th = sim.get(PoliticalState).threats[-1]
        assert th.targets == ("DEU", "FRA") and th.credibility == 0.5
        assert th.rate_on("2026-05-31") == 0.10 and th.rate_on("2026-06-01") == 0.25
        assert th.stands_on(self.date) and not th.stands_on("2026-01-21")

    def test_an_abandonment_threat_lowers_the_commitment(self) -> None:
        sim = self.sim()
        self.action(kind="abandonment", rate=None, escalate_to=None, escalate_on=None,
                    until=None, on="JPN", credibility=0.3).apply(sim)
        assert sim.get(SecurityModels).credibility("USA") == {"JPN": pytest.approx(0.7)}

    @pytest.mark.parametrize(("change", "needle"), [
        ({"rate": None}, "needs 'rate'"), ({"kind": "abandonment"}, "no 'rate'"),
        ({"escalate_on": None}, "both"), ({"credibility": 1.2}, "less than or equal")])
    def test_bad_threats_are_refused(self, change, needle) -> None:
        with pytest.raises(ValueError, match=needle):
            self.action(**change)


class TestStatement(ActionTestCase):
    name = "statement"
    sample: ClassVar[dict[str, object]] = {"by": "CAN", "venue": "Davos",
                                           "description": "a rupture in the world order"}

    def test_is_recorded_and_moves_nothing(self) -> None:
        sim = self.sim()
        tr = sim.get(TradeState)
        t = tr.t.copy()
        self.action().apply(sim)
        ev = sim.get(PoliticalState).events[-1]
        assert ev.kind == "statement" and ev.actor == "CAN"
        assert (tr.t == t).all()


class TestJoin(ActionTestCase):
    name = "join"
    sample: ClassVar[dict[str, object]] = {"economy": "VNM", "organization": "CPTPP"}

    def test_membership_starts_on_the_effective_date(self) -> None:
        sim = self.sim()
        pol = sim.get(PoliticalState)
        self.action(effective="2026-01-01").apply(sim)
        assert pol.is_member("VNM", "CPTPP", "2026-06-01")
        assert not pol.is_member("VNM", "CPTPP", "2025-06-01")


class TestDefensePledge(ActionTestCase):
    name = "defense_pledge"
    sample: ClassVar[dict[str, object]] = {"by": ["DEU", "FRA"], "target_pct_gdp": 5.0,
                                           "core_pct_gdp": 3.5, "by_year": 2035}


class TestAidCut(ActionTestCase):
    name = "aid_cut"
    sample: ClassVar[dict[str, object]] = {"donor": "USA", "share": 0.83, "program": "USAID"}


class TestAidRestore(ActionTestCase):
    name = "aid_restore"
    sample: ClassVar[dict[str, object]] = {"donor": "USA", "share": 1.0, "program": "USAID"}
    prior = (("aid_cut", {"donor": "USA", "share": 0.83}),)

    def test_recorded_as_a_restoration_after_the_cut(self) -> None:
        sim = self.sim()
        self.action().apply(sim)
        assert [r.kind for r in sim.get(PoliticalState).aid] == ["cut", "restore"]
        assert self.action().describe() == "USA restores 100% of foreign aid (USAID)"

    def test_more_than_was_cut_is_refused(self) -> None:
        with pytest.raises(ValueError, match=r"at most all that was cut.*'aid_give'"):
            self.action(share=1.5)


class TestAidGive(ActionTestCase):
    name = "aid_give"
    sample: ClassVar[dict[str, object]] = {"donor": "USA", "share": 0.1, "program": "new aid"}

    def test_recorded_as_new_aid(self) -> None:
        sim = self.sim()
        self.action().apply(sim)
        assert [r.kind for r in sim.get(PoliticalState).aid] == ["give"]


class TestTroopPosture(ActionTestCase):
    name = "troop_posture"
    sample: ClassVar[dict[str, object]] = {"by": "USA", "from_host": "DEU", "to_host": "home",
                                           "troops": 9500}


class TestMediation(ActionTestCase):
    name = "mediation"
    sample: ClassVar[dict[str, object]] = {"mediator": "USA", "parties": ["CHN", "VNM"],
                                           "others": ["Rwanda"], "outcome": "ceasefire"}


class TestStrike(ActionTestCase):
    name = "strike"
    sample: ClassVar[dict[str, object]] = {"by": ["USA"], "target": "CHN",
                                           "description": "a test"}


class TestBestResponse(ActionTestCase):
    name = "best_response"
    sample: ClassVar[dict[str, object]] = {"by": "USA", "instrument": "per_partner",
                                           "partners": ["CHN", "EU"]}


class TestTradeWar(ActionTestCase):
    name = "trade_war"
    sample: ClassVar[dict[str, object]] = {"players": ["USA", "CHN"], "targets": "players"}


class TestCoalition(ActionTestCase):
    name = "coalition"
    sample: ClassVar[dict[str, object]] = {"members": ["EU", "CAN", "JPN"], "against": "USA",
                                           "response": "optimal"}


def test_every_registered_action_has_its_test_case() -> None:
    cases = {c.name for c in globals().values()
             if isinstance(c, type) and issubclass(c, ActionTestCase) and c.name}
    assert cases == set(ACTIONS)


class TestCommitment(ActionTestCase):
    name = "commitment"
    sample: ClassVar[dict[str, object]] = {"patron": "USA", "allies": ["EU", "JPN"],
                                           "credibility": 0.4}

    def test_records_one_commitment_per_ally(self) -> None:
        sim = self.sim()
        self.action().apply(sim)
        cfg = sim.get(SecurityModels)
        assert cfg.credibility("USA") == {"DEU": 0.4, "FRA": 0.4, "JPN": 0.4}
        with pytest.raises(ValueError, match="less than or equal to 1"):
            self.action(credibility=1.5)


class TestSecurityParams(ActionTestCase):
    name = "security_params"
    sample: ClassVar[dict[str, object]] = {"model": "offshore-balancing",
                                           "params": {"threshold": 1.5}}

    def test_overrides_are_checked_when_read(self) -> None:
        sim = self.sim()
        self.action().apply(sim)
        assert sim.get(SecurityModels).params("offshore-balancing")["threshold"] == 1.5
        with pytest.raises(ValueError, match="outside"):
            self.action(params={"threshold": -1.0})
        with pytest.raises(ValueError, match="unknown security model"):
            self.action(model="nope")
