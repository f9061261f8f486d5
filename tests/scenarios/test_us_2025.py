"""The bundled 2025 record (us-2025) and its two counterfactual variants.

The published estimates below are the Yale Budget Lab's "State of U.S. Tariffs" series
(pre-substitution average effective tariff rate), as reported in the press; they are recalled
from secondary copies and unverified (docs/us-2025.md gives the table and the sources).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from worldorder import load_scenario
from worldorder.scenarios.timeline import TimelineResult, simulate_timeline

NAMES = ("us-2025", "us-2025-no-deals", "us-2025-full-retaliation")
FIRST_DEAL = "2025-05-08"  # the US-UK deal: the fork date of us-2025-no-deals
GENEVA = "2025-05-14"
NATO_IN_DATASET = {"USA", "CAN", "DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "POL", "SWE", "GBR",
                   "NOR", "TUR"}

#: Model date -> Yale Budget Lab estimate in force then (docs/us-2025.md, table "US average").
PUBLISHED = {
    "2025-04-10": 0.253,  # through 9 April (Reuters, 10 April 2025)
    "2025-05-14": 0.178,  # 12 May 2025
    "2025-06-04": 0.158,  # 17 June 2025
    "2025-08-07": 0.183,  # 1 August 2025 (rates effective 7 August)
    "2025-09-16": 0.180,  # 17 October 2025
    "2025-11-20": 0.168,  # late November 2025 ("a bit less than 16.8%")
}


@pytest.fixture(scope="module")
def runs() -> dict[str, TimelineResult]:
    return {name: simulate_timeline(name) for name in NAMES}


def us_average(run: TimelineResult) -> dict[str, float]:
    avg = run.average_tariffs(["USA"])
    return dict(zip(avg["date"], avg["average_tariff"], strict=True))


def additional(run: TimelineResult, date: str, importer: str, exporter: str) -> float:
    """The additional duty ``importer`` charges on ``exporter`` at the end of ``date``."""
    w = run.world
    j, i = w.index(exporter), w.index(importer)
    return float(run.tariff_history[date][j, i] - w.tariffs[j, i])


def test_the_three_scenarios_load_and_run(runs: dict[str, TimelineResult]) -> None:
    for name, run in runs.items():
        assert run.scenario.name == name and run.scenario.description
        assert run.dates and run.dates == sorted(run.dates)
        econ = run.last.economies
        assert np.isfinite(econ["welfare_pct"]).all() and len(econ) == run.world.n


def test_every_step_has_a_source_an_id_and_a_2025_date() -> None:
    sc = load_scenario("us-2025")
    dates = [st.date for st in sc.steps]
    assert dates == sorted(dates)
    assert dates[0] >= dt.date(2025, 1, 1) and dates[-1] <= dt.date(2025, 12, 31)
    assert all(st.source.strip() for st in sc.steps)
    ids = [st.id for st in sc.steps]
    assert all(ids) and len(set(ids)) == len(ids)


def test_no_deals_stops_at_the_fork(runs: dict[str, TimelineResult]) -> None:
    full, fork = load_scenario("us-2025"), load_scenario("us-2025-no-deals")
    assert fork.fork is not None and fork.fork.at.isoformat() == FIRST_DEAL
    assert all(st.date.isoformat() < FIRST_DEAL for st in fork.steps)
    assert [st.id for st in fork.steps] == [st.id for st in full.steps
                                            if st.date.isoformat() < FIRST_DEAL]
    before = us_average(runs["us-2025"])
    eve = max(d for d in before if d != "baseline" and d < FIRST_DEAL)
    last = us_average(runs["us-2025-no-deals"])[runs["us-2025-no-deals"].dates[-1]]
    assert last == pytest.approx(before[eve], abs=1e-12)
    assert last > 0.25  # the April rates, China at 145%


def test_full_retaliation_mirrors_every_us_change_and_costs_the_us(
        runs: dict[str, TimelineResult]) -> None:
    base, retal = runs["us-2025"], runs["us-2025-full-retaliation"]
    us_dates = {st.date for st in base.scenario.steps
                if (type(st.action).name in ("tariff", "exemption")
                    and getattr(st.action, "by", None) == "USA")
                or (type(st.action).name == "tariff_deal" and st.action.rate is not None)}
    steps = retal.scenario.steps
    for day in us_dates:
        same_day = [st for st in steps if st.date == day]
        assert type(same_day[-1].action).name == "retaliation", day
    assert not any(st.id and "retaliation" in st.id for st in steps)  # historical ones removed
    last = retal.dates[-1]
    for partner in ("CHN", "CAN", "JPN", "DEU", "IND", "BRA"):
        assert additional(retal, last, partner, "USA") == pytest.approx(
            additional(retal, last, "USA", partner), abs=1e-12)

    def welfare(run: TimelineResult) -> float:
        return float(run.last.economies.set_index("economy").loc["USA", "welfare_pct"])

    assert base.dates[-1] == last
    assert welfare(retal) < welfare(base) - 0.5


def test_us_average_tariff_path(runs: dict[str, TimelineResult]) -> None:
    avg = us_average(runs["us-2025"])
    base = avg.pop("baseline")
    dates = sorted(avg)
    # 3.9%: the end-2024 applied rates of world-2024 (China 20.8% incl. Section 301)
    assert 0.03 < base < 0.05
    assert all(avg[d] >= base for d in dates)
    # rising from the baseline through April: each escalation lifts it, the peak is in April
    assert base < avg["2025-02-04"] < avg["2025-03-04"]
    assert avg["2025-03-12"] < avg["2025-04-03"] < avg["2025-04-05"] < avg["2025-04-09"]
    peak = max(dates, key=avg.__getitem__)
    assert peak.startswith("2025-04") and avg[peak] > 0.25
    # Geneva: China 145% -> 30% statutory cuts the average by about 10 points
    eve = max(d for d in dates if d < GENEVA)
    assert avg[eve] - avg[GENEVA] > 0.08
    assert all(avg[d] < avg[eve] for d in dates if d >= GENEVA)
    # end-2025: within 10-25%, and within 1 point of the published ~16.8%
    end = avg[dates[-1]]
    assert 0.10 < end < 0.25 and end == pytest.approx(0.168, abs=0.01)
    # tracks the published series within 3 points where both are comparable
    for day, published in PUBLISHED.items():
        assert avg[day] == pytest.approx(published, abs=0.03), day


def test_each_action_type_has_its_effect(runs: dict[str, TimelineResult]) -> None:
    run = runs["us-2025"]
    pol = run.political
    assert pol is not None
    m = pol.memberships.set_index(["economy", "organization"])["until"].astype(str)

    def withdraw() -> None:
        assert m[("USA", "WHO")] == "2026-01-22" and m[("USA", "PARIS")] == "2026-01-27"
        assert m[("USA", "UNHRC")] == "2025-02-04" and m[("USA", "UNESCO")] == "2026-12-31"

    def tariff() -> None:
        assert additional(run, "2025-02-04", "USA", "CHN") == pytest.approx(0.10)
        assert additional(run, "2025-04-10", "USA", "CHN") > 1.0  # 145% statutory
        assert additional(run, "2025-04-12", "CHN", "USA") == pytest.approx(1.2783)

    def exemption() -> None:  # USMCA goods: the tracker's trade-weighted 8.75% and 4.5%
        assert additional(run, "2025-03-07", "USA", "CAN") == pytest.approx(0.0875, abs=1e-4)
        assert additional(run, "2025-03-07", "USA", "MEX") == pytest.approx(0.045, abs=1e-4)

    def tariff_deal() -> None:
        pledged = {(p.partner, p.kind): p.amount for p in pol.pledges
                   if p.amount is not None}
        assert pledged[("JPN", "investment")] == 550 and pledged[("EU", "investment")] == 600
        assert pledged[("EU", "energy_purchases")] == 750
        assert pledged[("KOR", "investment")] == 350
        assert pledged[("KOR", "energy_purchases")] == 100
        assert pledged[("SAU", "investment")] == 600 and pledged[("CHE", "investment")] == 200
        assert additional(run, GENEVA, "CHN", "USA") == pytest.approx(0.1283)
        assert additional(run, "2025-08-07", "USA", "JPN") < additional(
            run, "2025-04-09", "USA", "JPN")

    def defense_pledge() -> None:
        targets = {t.economy: t for t in pol.defense_targets}
        assert set(targets) == NATO_IN_DATASET
        assert all(t.target_pct_gdp == 5.0 and t.core_pct_gdp == 3.5
                   and t.by_year == 2035 for t in targets.values())

    def aid_cut() -> None:
        assert {a.donor for a in pol.aid} == {"USA"} and len(pol.aid) == 3
        assert any(a.share == 0.83 for a in pol.aid)

    def strike() -> None:
        strikes = [e for e in pol.events if e.kind == "strike"]
        assert len(strikes) == 1 and strikes[0].date == "2025-06-22"
        assert set(strikes[0].parties) == {"USA", "IRN"}

    def mediation() -> None:
        meds = [e for e in pol.events if e.kind == "mediation"]
        dates = {e.date for e in meds}
        assert {"2025-05-10", "2025-06-24", "2025-06-27", "2025-07-28", "2025-08-08",
                "2025-10-26"} <= dates
        assert any(e.others == ("COD", "RWA") for e in meds)
        assert any(e.others == ("ARM", "AZE") for e in meds)

    checks = {f.__name__: f for f in (withdraw, tariff, exemption, tariff_deal, defense_pledge,
                                      aid_cut, strike, mediation)}
    used = set(run.timeline["action"])
    assert used == set(checks)
    for name in sorted(used):
        checks[name]()
