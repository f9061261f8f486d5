"""Scenario values are never silently coerced or ignored (issue 12, items 5, 9, 11 and 12):
each case is one located error, with no NumPy warning before it."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from worldorder import ScenarioError, load_scenario, simulate
from worldorder.trade.params import parameter_warnings, resolve_params

HEAD = "name: s\ndataset: {dataset}\n"

CASES = {
    "rate true": ("policies:\n  - tariff: {by: USA, on: all, rate: true}\n",
                  r"line 4, field 'policies\[0\]\.tariff\.rate': Input should be a valid "
                  r"number \(got True\)"),
    "epsilon true": ("model: {epsilon: true}\n",
                     r"line 3, field 'model\.epsilon': Input should be a valid number"),
    "epsilon inf": ("model: {epsilon: .inf}\n",
                    r"line 3, field 'model\.epsilon': Input should be a finite number"),
    "seed true": ("seed: true\n", r"line 3, field 'seed': Input should be a valid integer"),
    "on empty": ("policies:\n  - tariff: {by: USA, on: [], rate: 0.1}\n",
                 r"line 4, field 'policies\[0\]\.tariff\.on.*': an empty list selects no "
                 r"economy"),
    "by empty": ("policies:\n  - tariff: {by: [], on: all, rate: 0.1}\n",
                 r"line 4, field 'policies\[0\]\.tariff\.by.*': an empty list selects no "
                 r"economy"),
    "self tariff": ("policies:\n  - tariff: {by: USA, on: [USA, CHN], rate: 0.1}\n",
                    r"line 4, field 'policies\[0\]\.tariff\.on': USA is in both 'by' and 'on'"),
    "self deal": ("policies:\n  - tariff_deal: {imposer: USA, partner: USA, rate: 0.1}\n",
                  r"line 4, field 'policies\[0\]\.tariff_deal\.partner': USA is in both "
                  r"'imposer' and 'partner'"),
    "self retaliation": ("policies:\n  - retaliation: {by: [USA, CHN], against: USA}\n",
                         r"line 4, field 'policies\[0\]\.retaliation\.against': USA is in "
                         r"both 'by' and 'against'"),
    "pledge inf": ("policies:\n  - tariff_deal: {partner: JPN, rate: 0.15, pledges: "
                   "[{kind: investment, amount: .inf}]}\n",
                   r"line 4, field 'policies\[0\]\.tariff_deal\.pledges\[0\]\.amount': "
                   r"Input should be a finite number"),
    "floor inf": ("policies:\n  - reciprocal_tariff: {by: USA, floor: .inf}\n",
                  r"line 4, field 'policies\[0\]\.reciprocal_tariff\.floor': Input should "
                  r"be a finite number"),
    "sanction inf": ("policies:\n  - sanction: {by: USA, on: [CHN], cost: .inf}\n",
                     r"line 4, field 'policies\[0\]\.sanction\.cost': Input should be a "
                     r"finite number"),
    "quoted number": ("policies:\n  - tariff: {by: USA, on: all, rate: '0.1'}\n",
                      r"line 4, field 'policies\[0\]\.tariff\.rate': Input should be a "
                      r"valid number"),
    "restore more than was cut": (
        "policies:\n  - aid_restore: {donor: USA, share: 1.5}\n",
        r"line 4, field 'policies\[0\]\.aid_restore\.share': .*a restoration gives back at "
        r"most all that was cut \(share 1; got 1\.5\): aid beyond the base year is new aid, "
        r"'aid_give'"),
    "new aid negative": ("policies:\n  - aid_give: {donor: USA, share: -0.1}\n",
                         r"line 4, field 'policies\[0\]\.aid_give\.share': Input should be "
                         r"greater than or equal to 0"),
    "fork bad date": ("fork: {from: us-2025, at: 2025-13-01}\n",
                      r"line 3, field 'fork\.at': '2025-13-01' is not a date"),
    "epsilon zero": ("model: {epsilon: 0}\n",
                     r"line 3, field 'model\.epsilon': 0 for USA must be positive"),
    "kappa outside the domain": ("model: {kappa: 1e6}\n",
                                 r"line 3, field 'model\.kappa': 1e\+06 for CHN is outside the "
                                 r"model's domain: with its trade surplus"),
    "kappa negative": ("model: {kappa: -1}\n",
                       r"line 3, field 'model\.kappa': -1 for USA must not be negative"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_located_errors(tmp_path: Path, mini_dataset: Path, case: str) -> None:
    body, message = CASES[case]
    path = tmp_path / "s.yaml"
    path.write_text(HEAD.format(dataset=mini_dataset) + body)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a NumPy RuntimeWarning would fail the test
        with pytest.raises(ScenarioError, match=rf"^s\.yaml, {message}") as err:
            simulate(load_scenario(path))
    assert "\n" not in str(err.value)


def test_valid_values_still_pass(tmp_path: Path, mini_dataset: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HEAD.format(dataset=mini_dataset) +
                    "model: {epsilon: 5, kappa: {default: 1, USA: 0.5}}\npolicies:\n"
                    "  - tariff: {by: USA, on: {CHN: 1, EU: 0.2}}\n"
                    "  - tariff_deal: {partner: JPN, rate: 0.15, pledges: "
                    "[{kind: investment, amount: 550}]}\n"
                    "  - withdraw: {economy: USA, organization: WHO, effective: 2026-01-22}\n")
    res = simulate(load_scenario(path))
    assert len(res.policies) > 0


def test_extending_an_undated_scenario_with_steps_keeps_its_policies(
        tmp_path: Path, mini_dataset: Path) -> None:
    """Before: the parent's policies were silently dropped (1 changed pair instead of all).
    They are in force from the first step's date, before that date's own steps; an error in
    one is located in the parent's file."""
    parent_policies = ("policies:\n  - tariff: {by: USA, on: all, rate: 0.1}\n"
                       "  - tariff: {by: JPN, on: [CHN, VNM], rate: 0.05}\n")
    (tmp_path / "parent.yaml").write_text(
        HEAD.format(dataset=mini_dataset).replace("name: s", "name: parent") + parent_policies)
    child = tmp_path / "child.yaml"
    child.write_text("name: child\nextends: parent.yaml\nsteps:\n  - date: 2025-05-01\n"
                     "    tariff: {by: CHN, on: [USA], rate: 0.2}\n"
                     "  - date: 2025-06-01\n    tariff: {by: USA, on: [CHN], rate: 0.3}\n")
    sc = load_scenario(child)
    assert [(st.date.isoformat(), type(st.action).name) for st in sc.steps] == [
        ("2025-05-01", "tariff")] * 3 + [("2025-06-01", "tariff")]
    parent = simulate(load_scenario(tmp_path / "parent.yaml")).policies
    final = simulate(sc).policies  # at the last date
    rates = {(i, t): r for i, t, r in zip(final["imposer"], final["target"],
                                          final["rate_after"], strict=True)}
    assert len(parent) == 9  # every pair the parent changed (7 by USA, 2 by JPN) is kept
    for i, t, r in zip(parent["imposer"], parent["target"], parent["rate_after"], strict=True):
        assert rates[(i, t)] == pytest.approx(0.33 if (i, t) == ("USA", "CHN") else r)
    assert len(rates) == 10 and rates[("CHN", "USA")] == pytest.approx(0.23)
    (tmp_path / "parent.yaml").write_text(
        HEAD.format(dataset=mini_dataset).replace("name: s", "name: parent") + parent_policies
        + "  - tariff: {by: USA, on: all, rate: -0.3, stack: true}\n" * 4)
    with pytest.raises(ScenarioError, match=r"^parent\.yaml, line 9, field "
                                            r"'policies\[5\]\.tariff': \(step 5, 2025-05-01\) "
                                            r"a tariff would become"):
        simulate(load_scenario(child))
    child.write_text("name: child\nextends: parent.yaml\npolicies:\n"
                     "  - tariff: {by: CHN, on: [USA], rate: 0.2}\n")
    (tmp_path / "parent.yaml").write_text(
        HEAD.format(dataset=mini_dataset).replace("name: s", "name: parent") + parent_policies)
    res = simulate(load_scenario(child))  # undated on undated: both policies apply
    assert set(res.policies["imposer"]) == {"USA", "JPN", "CHN"} and len(res.policies) == 10


def test_extreme_parameters_are_warned(mini_dataset: Path) -> None:
    from worldorder import load_world

    world = load_world(str(mini_dataset))
    assert parameter_warnings(resolve_params(world)) == []
    found = parameter_warnings(resolve_params(world, kappa=1e6, closure="balanced"))
    assert len(found) == 1 and found[0].startswith("model.kappa: 1e+06 for USA")


def test_extreme_values_reach_the_run_as_warnings(tmp_path: Path, mini_dataset: Path) -> None:
    from worldorder.runs import execute_run

    path = tmp_path / "s.yaml"
    path.write_text(HEAD.format(dataset=mini_dataset) + "model: {kappa: 1e6, closure: "
                    "balanced}\npolicies:\n  - tariff: {by: USA, on: all, rate: 0.1}\n")
    rec = execute_run(path, runs_dir=tmp_path / "runs")
    assert any(w.startswith("model.kappa: 1e+06 for USA is far above")
               for w in rec.manifest["warnings"])
