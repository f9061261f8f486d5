"""Dated scenarios: composition (extends, fork), ordering, errors, and the timeline engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder import ScenarioError, load_scenario, simulate
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import simulate_timeline

BASE = """name: base
dataset: {dataset}
steps:
  - date: 2025-01-20
    id: who
    source: EO 14155
    withdraw: {{economy: USA, organization: WHO, effective: 2026-01-22}}
  - date: 2025-02-04
    id: chn
    source: EO 14195
    tariff: {{by: USA, on: [CHN], rate: 0.10}}
  - date: 2025-04-02
    id: recip
    source: EO 14257
    reciprocal_tariff: {{by: USA, exempt: [CAN, MEX]}}
  - date: 2025-04-02
    id: chn-up
    tariff: {{by: USA, on: [CHN], rate: 0.54}}
  - date: 2025-06-22
    strike: {{by: USA, target: CHN, description: a test event}}
  - date: 2025-07-22
    id: jpn-deal
    tariff_deal: {{partner: JPN, rate: 0.15, pledges: [{{kind: investment, amount: 550}}]}}
"""


@pytest.fixture
def folder(tmp_path: Path, mini_dataset: Path) -> Path:
    (tmp_path / "base.yaml").write_text(BASE.format(dataset=mini_dataset))
    return tmp_path


def write(folder: Path, text: str, name: str = "s.yaml") -> Path:
    (folder / name).write_text(text)
    return folder / name


def test_solves_only_where_trade_policy_changed(folder: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    r = simulate_timeline(folder / "base.yaml", progress=lambda *a: seen.append(a))
    assert r.dates == ["2025-02-04", "2025-04-02", "2025-07-22"]
    assert [s[0] for s in seen] == [1, 2, 3, 4, 5] and {s[1] for s in seen} == {5}
    tl = r.timeline
    assert list(tl["date"]) == ["2025-01-20", "2025-02-04", "2025-04-02", "2025-04-02",
                                "2025-06-22", "2025-07-22"]
    assert list(tl["priced"]) == [False, True, True, True, False, True]
    assert tl["source"].iloc[0] == "EO 14155"
    assert r.political.pledges[0].amount == 550
    assert not r.political.is_member("USA", "WHO", "2026-02-01")


def test_each_date_is_relative_to_the_original_baseline(folder: Path, mini_dataset: Path
                                                        ) -> None:
    r = simulate_timeline(folder / "base.yaml")
    # the 2025-04-02 state, stated as one undated scenario, gives the same numbers
    undated = Scenario.from_dict({"name": "u", "dataset": str(mini_dataset), "policies": [
        {"tariff": {"by": "USA", "on": ["CHN"], "rate": 0.10}},
        {"reciprocal_tariff": {"by": "USA", "exempt": ["CAN", "MEX"]}},
        {"tariff": {"by": "USA", "on": ["CHN"], "rate": 0.54}}]})
    one = simulate(undated).economies
    at = r.economies[r.economies["date"] == "2025-04-02"].reset_index(drop=True)
    np.testing.assert_allclose(at["welfare_pct"], one["welfare_pct"], rtol=1e-8, atol=1e-10)
    # step columns chain: (1 + level_t) = (1 + level_{t-1}) (1 + step_t)
    usa = r.economies[r.economies["economy"] == "USA"].reset_index(drop=True)
    lv = 1 + usa["welfare_pct"] / 100
    np.testing.assert_allclose(lv[1:].to_numpy(),
                               (lv[:-1] * (1 + usa["welfare_pct_step"][1:].to_numpy() / 100)
                                ).to_numpy(), rtol=1e-12)
    assert usa["welfare_pct_step"][0] == pytest.approx(usa["welfare_pct"][0])
    pol = r.policies
    assert set(pol["date"]) == set(r.dates)
    last = pol[(pol["date"] == "2025-07-22") & (pol["target"] == "JPN")]
    assert last["rate_after"].iloc[0] == pytest.approx(0.15)


def test_average_tariffs(folder: Path) -> None:
    r = simulate_timeline(folder / "base.yaml")
    avg = r.average_tariffs(["USA"]).set_index("date")["average_tariff"]
    assert avg["baseline"] == pytest.approx(0.03)  # the mini world's uniform 3%
    assert avg["2025-02-04"] > avg["baseline"]
    assert avg["2025-04-02"] > avg["2025-02-04"]
    assert avg["2025-06-22"] == avg["2025-04-02"]  # an event changes no tariff


def test_extends_overrides_removes_and_appends(folder: Path) -> None:
    text = """name: child
extends: base.yaml
remove: [who]
steps:
  - date: 2025-04-02
    id: chn-up
    tariff: {by: USA, on: [CHN], rate: 1.45}
  - date: 2025-08-01
    tariff: {by: USA, on: [CAN], rate: 0.35}
"""
    sc = load_scenario(write(folder, text))
    assert sc.name == "child" and sc.dataset.endswith("mini")
    ids = [st.id for st in sc.steps]
    assert "who" not in ids and ids.count("chn-up") == 1
    assert [st.date.isoformat() for st in sc.steps] == sorted(st.date.isoformat()
                                                               for st in sc.steps)
    chn = next(st for st in sc.steps if st.id == "chn-up")
    assert chn.action.rate == 1.45
    assert sc.steps[-1].date.isoformat() == "2025-08-01"


def test_fork_keeps_steps_before_the_date(folder: Path) -> None:
    text = """name: forked
fork: {from: base.yaml, at: 2025-04-01}
steps:
  - date: 2025-04-02
    retaliation: {by: all, against: USA}
"""
    sc = load_scenario(write(folder, text))
    assert [st.id for st in sc.steps] == ["who", "chn", None]
    r = simulate_timeline(sc)
    assert r.dates == ["2025-02-04", "2025-04-02"]
    pol = r.policies[r.policies["date"] == "2025-04-02"]
    assert set(pol[pol["target"] == "USA"]["imposer"]) == {"CHN"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ndataset: d\nsteps:\n  - date: 2025-02-01\n    strike: {by: USA, target: CHN}"
         "\n  - date: 2025-01-01\n    strike: {by: USA, target: CHN}\n",
         r"s.yaml, line 6, field 'steps\[1\].date': \(step 1\) 2025-01-01 comes before"),
        ("name: x\ndataset: d\nsteps:\n  - strike: {by: USA, target: CHN}\n",
         r"s.yaml, line 4, field 'steps\[0\]': \(step 0\) missing date"),
        ("name: x\ndataset: d\nsteps:\n  - date: 2025-13-01\n    strike: {by: USA, target: X}\n",
         r"field 'steps\[0\].date': \(step 0\) '2025-13-01' is not a date"),
        ("name: x\ndataset: d\nsteps:\n  - date: 2025-01-01\n    strike: {by: USA}\n",
         r"line 5, field 'steps\[0\].strike.target': \(step 0, 2025-01-01\) required field"),
        ("name: x\ndataset: d\nsteps:\n  - date: 2025-01-01\n    strike: {by: USA, target: X}\n"
         "    tariff: {by: USA, rate: 0.1}\n",
         r"\(step 0, 2025-01-01\) a step has exactly one action"),
        ("name: x\ndataset: d\npolicies:\n  - tariff: {by: USA, rate: 0.1}\nsteps:\n"
         "  - date: 2025-01-01\n    strike: {by: USA, target: X}\n",
         r"either policies \(undated\) or steps \(dated\)"),
        ("name: x\nextends: nowhere.yaml\n", r"s.yaml, line 2, field 'extends': "),
        ("name: x\nfork: {from: base.yaml, at: 2025-05-01}\nsteps:\n  - date: 2025-03-01\n"
         "    strike: {by: USA, target: CHN}\n", r"2025-03-01 is before the fork date"),
        ("name: x\nextends: base.yaml\nremove: [nope]\n", r"no inherited step has id 'nope'"),
        ("name: x\nextends: s.yaml\n", r"extends itself"),
    ],
)
def test_dated_scenario_errors(folder: Path, text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as info:
        load_scenario(write(folder, text))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("    withdraw: {economy: USA, organization: WHOO}",
         r"line 5, field 'steps\[0\].withdraw.organization': \(step 0, 2025-03-01\) unknown "
         r"organization 'WHOO'"),
        ("    tariff: {by: USA, on: [XYZ], rate: 0.1}",
         r"field 'steps\[0\].tariff.on\[0\]': \(step 0, 2025-03-01\) unknown economy"),
        ("    withdraw: {economy: CHN, organization: NATO}",
         r"\(step 0, 2025-03-01\) CHN is not a member of NATO"),
    ],
)
def test_errors_found_against_the_world(folder: Path, mini_dataset: Path, step: str,
                                        message: str) -> None:
    text = f"name: x\ndataset: {mini_dataset}\nsteps:\n  - date: 2025-03-01\n{step}\n"
    with pytest.raises(ScenarioError, match=message):
        simulate_timeline(load_scenario(write(folder, text)))


def test_a_purely_political_timeline_still_has_results(folder: Path, mini_dataset: Path
                                                       ) -> None:
    text = (f"name: x\ndataset: {mini_dataset}\nsteps:\n  - date: 2025-06-25\n"
            "    defense_pledge: {by: [DEU, FRA], target_pct_gdp: 5, by_year: 2035}\n")
    r = simulate_timeline(load_scenario(write(folder, text)))
    assert r.dates == ["2025-06-25"]
    np.testing.assert_allclose(r.economies["welfare_pct"], 0.0, atol=1e-10)
    assert len(r.political.defense_targets) == 2


def test_undated_scenarios_are_one_date(mini_dataset: Path) -> None:
    sc = Scenario.from_dict({"name": "u", "dataset": str(mini_dataset),
                             "policies": [{"tariff": {"by": "USA", "rate": 0.1}}]})
    r = simulate_timeline(sc)
    assert r.dates == ["undated"]
    assert isinstance(r.economies, pd.DataFrame) and len(r.economies) == 8
