"""Every doctrine through one shared harness (Axelrod's TestPlayer pattern): its contract, its
determinism, and its rule in scripted situations."""

from __future__ import annotations

from typing import ClassVar, cast

import numpy as np
import pandas as pd
import pytest

from tests.builders import mini_world
from worldorder.agents import Doctrine, Observation, PastChoice
from worldorder.agents.payoffs import Standing
from worldorder.data import load_world
from worldorder.engine.layers.politics import AidCutRecord
from worldorder.registry import ACTIONS, DOCTRINES
from worldorder.security.aid import aid_level
from worldorder.security.membership_balance import membership_balance
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.instruments import apply_change, tariff_change
from worldorder.trade.params import resolve_params

KEYS = {"stance", "instruments", "memory", "stochastic"}
WORLD = mini_world()
EVALUATOR = Evaluator(WORLD, resolve_params(WORLD, "ignatenko2025"))
PEERS = {"USA": "america_first", "CHN": "reciprocator", "EU": "middle_power_coalition",
         "CAN": "middle_power_coalition", "JPN": "subordinate", "MEX": "hedger"}


def raise_duty(t: np.ndarray, by: str, on: str, rate: float) -> np.ndarray:
    return apply_change(t, WORLD.tariffs, tariff_change(WORLD, by, [on], rate))


def standing(positions: dict[str, float] | None = None, offshore: pd.DataFrame | None = None,
             troops: dict[str, float] | None = None,
             commitments: dict[str, dict[str, float]] | None = None) -> Standing:
    """A scripted view of the security layers: military spending ∝ GDP, the mini world's
    alliances (USA-JPN, USA-DEU) at credibility 0.5, alignment positions, verdicts, troops."""
    pos = None if positions is None else np.array([positions.get(c, 0.0) for c in WORLD.codes])
    allies = {"USA": {"JPN": 0.5, "DEU": 0.5}, "JPN": {"USA": 0.5}, "DEU": {"USA": 0.5}}
    return Standing(world=WORLD, milex=0.02 * WORLD.gdp, real_income=np.ones(WORLD.n),
                    allies=allies, ratio0={}, positions=pos,
                    positions0=None if pos is None else pos.copy(), theta_b=0.05,
                    t=WORLD.tariffs.copy(),
                    offshore=offshore, troops=troops or {}, commitments=commitments or {})


def observe(me: str, t: np.ndarray | None = None, t_previous: np.ndarray | None = None,
            period: int = 1, history: tuple[PastChoice, ...] = (),
            standing: Standing | None = None,
            weights: dict[str, float] | None = None,
            memberships: pd.DataFrame | None = None,
            aid: tuple[AidCutRecord, ...] = ()) -> Observation:
    def evaluate(tt: np.ndarray) -> np.ndarray:
        return 100.0 * (EVALUATOR.welfare(tt) - 1.0)

    return Observation(me=me, date="2027-01-01", period=period, world=WORLD,
                       t=WORLD.tariffs.copy() if t is None else t, t0=WORLD.tariffs,
                       t_previous=WORLD.tariffs if t_previous is None else t_previous,
                       dhat=None, history=history, payoffs=(), peers=PEERS,
                       evaluate=evaluate, standing=standing,
                       weights=weights or {"welfare": 1.0}, memberships=memberships,
                       aid=aid)


def aid_record(kind: str, share: float) -> AidCutRecord:
    return AidCutRecord(date="2025-03-10", donor="USA", amount=None, unit="USD billion",
                        share=share, recipients=("all",), program="x", kind=kind)


class DoctrineTest:
    """The shared harness: subclass it with ``name`` and a ``situations()`` that scripts the
    doctrine's rule (observation -> expected action names)."""

    name: ClassVar[str] = ""

    def doctrine(self, **params: object) -> Doctrine:
        return cast("type[Doctrine]", DOCTRINES[self.name]).model_validate(params)

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        raise NotImplementedError

    def test_contract(self) -> None:
        cls = cast("type[Doctrine]", DOCTRINES[self.name])
        assert cls.name == self.name and cls.summary and cls.references and cls.__doc__
        assert set(cls.classifier) >= KEYS
        assert all(a in ACTIONS for a in cast("tuple[str, ...]", cls.classifier["instruments"]))

    def test_scripted_situations_and_only_registered_instruments(self) -> None:
        d = self.doctrine()
        instruments = set(cast("tuple[str, ...]", d.classifier["instruments"]))
        for label, obs, expected in self.situations():
            choices = d.choose(obs, np.random.default_rng(0))
            names = [c.action.name for c in choices]
            assert names == expected, label
            assert set(names) <= instruments, label
            assert all(c.reason for c in choices), label
            for c in choices:  # every action is valid against the dataset
                assert all(WORLD.is_known(n) for _, n in c.action.names_used())

    def test_deterministic_for_a_seed(self) -> None:
        d = self.doctrine()
        for _, obs, _ in self.situations():
            a = [c.action.model_dump_json() for c in d.choose(obs, np.random.default_rng(5))]
            b = [c.action.model_dump_json() for c in d.choose(obs, np.random.default_rng(5))]
            assert a == b


COERCED = raise_duty(WORLD.tariffs, "USA", "CHN", 0.3)  # the US raised duties on China


class TestReciprocator(DoctrineTest):
    name = "reciprocator"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        forgiven = raise_duty(WORLD.tariffs, "CHN", "USA", 0.3)  # CHN still taxes the US
        return [("quiet", observe("CHN"), []),
                ("coerced", observe("CHN", COERCED), ["retaliation"]),
                ("the coercer backed down", observe("CHN", forgiven, COERCED), ["exemption"])]


class TestLiberalInternationalist(DoctrineTest):
    name = "liberal_internationalist"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        honoured = standing(commitments={"USA": {"JPN": 1.0, "DEU": 1.0}})
        cut = (aid_record("cut", 0.83),)
        return [("at MFN", observe("USA"), []),
                ("aid cut before: restored", observe("USA", aid=cut), ["aid_restore"]),
                ("aid restored", observe("USA", aid=(*cut, aid_record("restore", 1.0))), []),
                ("coerced: no retaliation", observe("CHN", COERCED), []),
                ("own surcharge removed", observe("USA", COERCED), ["exemption"]),
                ("alliances to honour", observe("USA", standing=standing()), ["commitment"]),
                ("alliances honoured", observe("USA", standing=honoured), [])]

    def test_it_restores_aid_that_was_cut_and_keeps_it_at_the_base_year(self) -> None:
        cut = (aid_record("cut", 0.83),)
        (c,) = self.doctrine().choose(observe("USA", aid=cut), np.random.default_rng(0))
        assert c.action.name == "aid_restore" and "aid at 17% of the base year's" in c.reason
        after = (*cut, aid_record("restore", float(c.action.model_dump()["share"])))
        assert aid_level(after)[0] == 1.0  # the base year, exactly
        assert self.doctrine().choose(observe("USA", aid=after),
                                      np.random.default_rng(0)) == []
        # a target above the base year: the cut restored, then new aid
        more = self.doctrine(aid_level=1.2).choose(observe("USA", aid=cut),
                                                   np.random.default_rng(0))
        assert [m.action.name for m in more] == ["aid_restore", "aid_give"]
        assert more[1].action.model_dump()["share"] == pytest.approx(0.2)
        # part of it, and none
        (part,) = self.doctrine(aid_level=0.5).choose(observe("USA", aid=cut),
                                                      np.random.default_rng(0))
        share = float(part.action.model_dump()["share"])
        assert aid_level((*cut, aid_record("restore", share)))[0] == pytest.approx(0.5)
        assert self.doctrine(aid_level=0.0).choose(observe("USA", aid=cut),
                                                   np.random.default_rng(0)) == []

    def test_commitments_go_to_its_allies_at_full_credibility(self) -> None:
        (c,) = self.doctrine().choose(observe("USA", standing=standing()),
                                      np.random.default_rng(0))
        assert c.action.model_dump()["allies"] == ["DEU", "JPN"]
        assert c.action.model_dump()["credibility"] == 1.0


class TestFortress(DoctrineTest):
    name = "fortress"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        walled = apply_change(WORLD.tariffs, WORLD.tariffs,
                              tariff_change(WORLD, "JPN", "all", 0.25), basis="total")
        return [("open", observe("JPN"), ["tariff"]), ("walled", observe("JPN", walled), [])]


class TestStabiliser(DoctrineTest):
    name = "stabiliser"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        zero = apply_change(WORLD.tariffs, WORLD.tariffs,
                            tariff_change(WORLD, "CHN", "all", 0.0), basis="total")
        return [("tariffs to cut", observe("CHN"), ["tariff"]),
                ("already open", observe("CHN", zero), [])]


class TestSubordinate(DoctrineTest):
    name = "subordinate"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        pressed = raise_duty(WORLD.tariffs, "USA", "JPN", 0.24)
        return [("not pressed", observe("JPN"), []),
                ("pressed by the patron", observe("JPN", pressed), ["tariff"])]


class TestHedger(DoctrineTest):
    name = "hedger"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        return [("quiet", observe("CHN"), []), ("coerced", observe("CHN", COERCED), ["tariff"])]


class TestMiddlePowerCoalition(DoctrineTest):
    name = "middle_power_coalition"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        both = raise_duty(raise_duty(WORLD.tariffs, "USA", "CAN", 0.25), "USA", "EU", 0.2)
        alone = raise_duty(WORLD.tariffs, "USA", "CAN", 0.25)
        formed = (PastChoice("2026-01-01", "CAN", "coalition", ("CAN", "EU", "USA"), "x"),)
        return [("not coerced", observe("CAN"), []),
                ("coerced alone: mirror", observe("CAN", alone), ["retaliation"]),
                ("coerced together: the first proposes", observe("CAN", both), ["coalition"]),
                ("coerced together: the others follow", observe("EU", both), []),
                ("already formed", observe("CAN", both, history=formed), [])]


class TestAmericaFirst(DoctrineTest):
    name = "america_first"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        first = observe("USA", period=0)
        history = (PastChoice("2026-01-01", "USA", "reciprocal_tariff", ("USA",), "x"),)
        levied = raise_duty(WORLD.tariffs, "USA", "all", 0.2)
        opened = apply_change(levied, WORLD.tariffs,
                              tariff_change(WORLD, "MEX", ["USA"], 0.0), basis="total")
        left = WORLD.memberships.assign(until=np.where(
            WORLD.memberships["organization"] == "WHO", "2026-06-01", ""))
        return [("first move: reciprocal tariffs", first, ["reciprocal_tariff"]),
                ("a member of the WHO, WTO and NATO: leaves the WHO",
                 observe("USA", history=history, memberships=WORLD.memberships), ["withdraw"]),
                ("the WHO left already", observe("USA", history=history, memberships=left),
                 []),
                ("a partner opened: a deal", observe("USA", opened, levied, history=history),
                 ["tariff"] * sum(1 for c in WORLD.codes if c != "USA"
                                  and opened[WORLD.index("USA"), WORLD.index(c)] <= 0.01))]

    def test_burden_shifting_backed_by_a_threat_of_abandonment(self) -> None:
        st = standing()
        st.milex_share = np.full(WORLD.n, 0.02)
        st.milex_share[WORLD.index("DEU")] = 0.06  # Germany meets the 5% demand
        history = (PastChoice("2026-01-01", "USA", "reciprocal_tariff", ("USA",), "x"),)
        out = self.doctrine().choose(observe("USA", history=history, standing=st),
                                     np.random.default_rng(0))
        got = {tuple(c.action.model_dump()["allies"]): c.action.model_dump()["credibility"]
               for c in out if c.action.name == "commitment"}
        assert got == {("JPN",): 0.5, ("DEU",): 1.0}
        # on the record already: no demand again; turned off: none at all
        st.commitments = {"USA": {"JPN": 0.5, "DEU": 1.0}}
        again = self.doctrine().choose(observe("USA", history=history, standing=st),
                                       np.random.default_rng(0))
        assert [c.action.name for c in again] == []
        st.commitments = {}
        off = self.doctrine(burden_target=0.0).choose(
            observe("USA", history=history, standing=st), np.random.default_rng(0))
        assert [c.action.name for c in off] == []

    def test_exits_where_membership_costs_more_than_it_returns(self) -> None:
        history = (PastChoice("2026-01-01", "USA", "reciprocal_tariff", ("USA",), "x"),)
        obs = observe("USA", history=history, memberships=WORLD.memberships)
        table = membership_balance(WORLD, WORLD.memberships, "USA", obs.date).set_index(
            "organization")
        out = self.doctrine().choose(obs, np.random.default_rng(0))
        left = [c.action.model_dump()["organization"] for c in out]
        # as its docstring says: exits where cost - return > the margin, stays where the
        # return exceeds the cost
        assert left == ["WHO"]
        assert table.loc["WHO", "cost"] > table.loc["WHO", "return"] + 0.02
        for org in ("WTO", "NATO"):
            assert table.loc[org, "return"] > table.loc[org, "cost"]
        assert "WHO costs 22.0% of its budget and returns 15.9%" in out[0].reason
        # the return is rho * GDP share * agreement; cost 22% (WHO: UN scale)
        assert table.loc["WHO", "return"] == pytest.approx(
            table.loc["WHO", "gdp_share"] * table.loc["WHO", "agreement"])
        assert table.loc["WHO", "gdp_share"] == pytest.approx(29.0 / WORLD.gdp.sum())

        def exits(**params: object) -> list[object]:
            return [c.action.model_dump()["organization"]
                    for c in self.doctrine(**params).choose(obs, np.random.default_rng(0))]

        assert exits(exits=False) == []
        assert exits(stay_in=("WHO",)) == []
        assert exits(value_ratio=4.0) == []  # Snidal's benefit-cost ratio: every one pays
        assert exits(value_ratio=0.0) == ["WHO", "WTO", "NATO"]  # nothing returns
        # a group agent does not weigh memberships
        assert "withdraw" not in [c.action.name for c in self.doctrine().choose(
            observe("EU", memberships=WORLD.memberships), np.random.default_rng(0))]

    def test_on_world_2024_the_us_leaves_the_who_and_paris_as_documented(self) -> None:
        w = load_world("world-2024")
        history = (PastChoice("2026-01-01", "USA", "reciprocal_tariff", ("USA",), "x"),)
        obs = Observation(me="USA", date="2026-01-01", period=1, world=w, t=w.tariffs.copy(),
                          t0=w.tariffs, t_previous=w.tariffs, dhat=None, history=history,
                          payoffs=(), peers={"USA": self.name},
                          evaluate=lambda t: np.zeros(w.n), memberships=w.memberships)
        out = self.doctrine().choose(obs, np.random.default_rng(0))
        assert [c.action.model_dump()["organization"] for c in out] == ["PARIS", "WHO"]
        # the UN costs as much and returns as little, but it is never left (no withdrawal
        # clause); without the margin the WTO goes too (11% against 10.9%)
        bare = self.doctrine(stay_in=(), exit_margin=0.0).choose(obs, np.random.default_rng(0))
        assert [c.action.model_dump()["organization"] for c in bare] == \
            ["PARIS", "UN", "WHO", "WTO"]

    def test_escalation_only_when_the_model_says_it_pays(self) -> None:
        history = (PastChoice("2026-01-01", "USA", "reciprocal_tariff", ("USA",), "x"),)
        levied = raise_duty(WORLD.tariffs, "USA", "CHN", 0.1)
        answered = raise_duty(levied, "CHN", "USA", 0.1)
        obs = observe("USA", answered, levied, history=history)
        d = self.doctrine(open_rate=-1.0)  # no deals: only the escalation rule
        (choice,) = d.choose(obs, np.random.default_rng(0))
        rate = float(choice.action.model_dump()["rate"])
        # the chosen rate beats staying put and every other candidate, by the model
        def payoff(r: float) -> float:
            t = apply_change(answered, WORLD.tariffs, tariff_change(WORLD, "USA", ["CHN"], r),
                             basis="total")
            return obs.welfare(obs.evaluate(t))
        assert payoff(rate) > obs.welfare(obs.evaluate(answered))
        assert "escalation" in choice.reason
        never = self.doctrine(open_rate=-1.0, upper=0.0)
        assert never.choose(obs, np.random.default_rng(0)) == []


class TestRevisionist(DoctrineTest):
    name = "revisionist"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        # JPN leans to the US (+0.8), VNM hedges (+0.1), everyone else sides with China
        leaning = {c: -0.8 for c in WORLD.codes} | {"USA": 1.0, "JPN": 0.8, "VNM": 0.1}
        courted = apply_change(WORLD.tariffs, WORLD.tariffs,
                               tariff_change(WORLD, "CHN", ["VNM"], 0.0), basis="total")
        allied = {c: -0.8 for c in WORLD.codes} | {"USA": 1.0}
        return [("a neighbour leans away, a hedger: coerce and court",
                 observe("CHN", standing=standing(leaning)), ["tariff", "tariff_deal"]),
                ("the hedger already courted", observe("CHN", courted,
                                                       standing=standing(leaning)), ["tariff"]),
                ("every neighbour on its side", observe("CHN", standing=standing(allied)), [])]

    def test_coercion_is_the_best_candidate_by_the_model(self) -> None:
        leaning = {c: -0.8 for c in WORLD.codes} | {"USA": 1.0, "JPN": 0.8}
        obs = observe("CHN", standing=standing(leaning))
        d = self.doctrine()
        (choice,) = d.choose(obs, np.random.default_rng(0))
        rate = float(choice.action.model_dump()["rate"])
        assert choice.action.model_dump()["on"] == ["JPN"]

        def score(r: float) -> float:
            return obs.score(apply_change(WORLD.tariffs, WORLD.tariffs,
                                          tariff_change(WORLD, "CHN", ["JPN"], r)))
        assert score(rate) > obs.score(WORLD.tariffs)
        assert all(score(rate) >= score(r) for r in np.arange(d.step, d.upper + 1e-9, d.step))
        # a payoff that weighs only the alignment it loses (the layer passes the doctrine's
        # weights): no coercion
        only = {"welfare": 0.0, "security": 0.0, "legitimacy": 0.0, "alignment": 1.0}
        shy = observe("CHN", standing=standing(leaning), weights=only)
        assert shy.score(raise_duty(WORLD.tariffs, "CHN", "JPN", 0.1)) < shy.score(WORLD.tariffs)
        assert d.choose(shy, np.random.default_rng(0)) == []

    def test_without_alignment_every_neighbour_is_a_candidate(self) -> None:
        names = {c.action.model_dump()["on"][0]
                 for c in self.doctrine(max_targets=5).choose(observe("CHN"),
                                                               np.random.default_rng(0))}
        assert names <= {"JPN", "VNM"} and names  # north-east and south-east Asia


def verdicts(europe_holds: bool) -> pd.DataFrame:
    rows = [("europe", "RUS", 3.8, europe_holds), ("northeast_asia", "CHN", 0.2, False)]
    return pd.DataFrame([{"region": r, "model": "offshore-balancing", "leader": lead,
                          "balancer_ratio": b, "holds": h} for r, lead, b, h in rows])


class TestOffshoreBalancer(DoctrineTest):
    name = "offshore_balancer"

    def situations(self) -> list[tuple[str, Observation, list[str]]]:
        troops = {"DEU": 35000.0, "JPN": 55000.0}
        holds = standing(offshore=verdicts(True), troops=troops)
        done = standing(offshore=verdicts(True), troops={"DEU": 50.0, "JPN": 55000.0},
                        commitments={"USA": {"DEU": 0.25, "JPN": 1.0}})
        fails = standing(offshore=verdicts(False), troops={"JPN": 55000.0},
                         commitments={"USA": {"JPN": 1.0}})
        return [("no verdict yet", observe("USA"), []),
                ("Europe balances itself: troops home, commitment down; Asia: onshore",
                 observe("USA", standing=holds), ["troop_posture", "commitment", "commitment"]),
                ("already pulled back", observe("USA", standing=done), []),
                ("Europe cannot balance: troops back, commitment up",
                 observe("USA", standing=fails), ["troop_posture", "commitment"])]

    def test_pullback_where_the_balance_holds_and_only_there(self) -> None:
        troops = {"DEU": 35000.0, "JPN": 55000.0}
        out = self.doctrine().choose(observe("USA", standing=standing(
            offshore=verdicts(True), troops=troops)), np.random.default_rng(0))
        moves = [c.action.model_dump() for c in out if c.action.name == "troop_posture"]
        assert moves == [{"by": "USA", "from_host": "DEU", "to_host": "home",
                          "troops": 17500}]
        commits = {tuple(c.action.model_dump()["allies"]): c.action.model_dump()["credibility"]
                   for c in out if c.action.name == "commitment"}
        assert commits == {("DEU",): 0.25, ("JPN",): 1.0}


def test_every_registered_doctrine_has_a_test_class() -> None:
    tested = {c.name for c in DoctrineTest.__subclasses__()}
    assert tested == set(DOCTRINES)


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match="extra"):
        cast("type[Doctrine]", DOCTRINES["fortress"]).model_validate({"rte": 0.2})
    with pytest.raises(ValueError, match="unknown payoff component 'wealth'"):
        cast("type[Doctrine]", DOCTRINES["fortress"]).model_validate({"weights": {"wealth": 1}})


@pytest.mark.parametrize("name", sorted(DOCTRINES))
def test_payoff_weights_are_documented_and_overridable(name: str) -> None:
    cls = cast("type[Doctrine]", DOCTRINES[name])
    assert set(cls.payoff_weights) == {"welfare", "security", "legitimacy", "alignment"}
    assert "Payoff weights" in (cls.__doc__ or "")
    d = cls.model_validate({"weights": {"security": 7.0}})
    assert d.weights_in_force() == {**cls.payoff_weights, "security": 7.0}
