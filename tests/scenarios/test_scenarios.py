"""Scenario files: parsing, located errors, policies, simulate and the written results."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.builders import LIBERATION
from worldorder import ScenarioError, load_scenario, simulate, simulate_timeline
from worldorder.scenarios import ACTIONS, bundled_scenarios
from worldorder.scenarios.scenario import Scenario


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_bundled_scenarios_parse() -> None:
    names = set(bundled_scenarios())
    assert {"liberation-day-2025", "liberation-day-2025-retaliation", "us-china-2025"} <= names
    for name in names:
        sc = load_scenario(name)
        assert sc.name == name and sc.description
        assert sc.policies or sc.steps or sc.layers.get("agents")  # something happens


def test_every_action_is_documented() -> None:
    for name, cls in ACTIONS.items():
        assert cls.name == name and cls.summary and cls.references and cls.__doc__
        assert "layer" in cls.classifier


def test_liberation_day_policies_and_results(tmp_path: Path, mini_dataset: Path) -> None:
    sc = load_scenario(write(tmp_path, LIBERATION.format(dataset=mini_dataset)))
    res = simulate(sc)
    pol = res.policies
    assert set(pol["imposer"]) == {"USA"}
    assert not pol["target"].isin(["CAN", "MEX"]).any()
    w = res.world
    usa = w.index("USA")
    # the reciprocal rate replaces the 10% baseline duty (both are additional to MFN)
    table = res.notes["reciprocal_USA"].set_index("partner")
    chn_rate = pol.set_index("target").loc["CHN", "rate_after"]
    assert chn_rate == pytest.approx(w.tariffs[w.index("CHN"), usa] + table.loc["CHN", "rate"])
    eu = pol.set_index("target").loc[["DEU", "FRA"], "rate_after"]
    assert eu.nunique() == 1  # one EU rate
    econ = res.economies
    assert list(econ.columns[:10]) == [
        "economy", "name", "welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct",
        "exports_to_gdp_pct", "imports_to_gdp_pct", "trade_balance_change_pct",
        "tariff_revenue"]
    row = econ.set_index("economy").loc["USA"]
    assert row["tariff_revenue_pct_gdp"] > 0 and row["price_index_pct"] > 0
    assert row["imports_to_gdp_pct"] < 0
    assert res.solver["residual"] <= 1e-10


def test_results_are_written_and_reproducible(tmp_path: Path, mini_dataset: Path) -> None:
    sc = load_scenario(write(tmp_path, LIBERATION.format(dataset=mini_dataset)))
    a, b = simulate(sc), simulate(sc)
    pd.testing.assert_frame_equal(a.economies, b.economies)
    out = a.write(tmp_path / "out")
    for f in ("economies.csv", "policies.csv", "flows.parquet", "manifest.json",
              "reciprocal_USA.csv"):
        assert (out / f).is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["dataset"]["sha256"] == a.world.fingerprint()
    assert manifest["parameters"]["preset"] == "ignatenko2025"
    assert manifest["scenario"]["text"].startswith("name: test-liberation")
    back = pd.read_csv(out / "economies.csv")
    np.testing.assert_allclose(back["welfare_pct"], a.economies["welfare_pct"], rtol=1e-9)
    flows = pd.read_parquet(out / "flows.parquet")
    assert {"exporter", "importer", "value_before", "value_after"} <= set(flows.columns)
    with pytest.raises(ScenarioError, match="not empty"):
        a.write(out)
    assert json.loads((out / "manifest.json").read_text()) == manifest  # untouched


def test_mirror_retaliation_by_all(tmp_path: Path, mini_dataset: Path) -> None:
    text = LIBERATION.format(dataset=mini_dataset) + \
        "  - retaliation: {by: all, against: USA, rule: mirror}\n"
    res = simulate(load_scenario(write(tmp_path, text)))
    pol = res.policies
    us = pol[pol["imposer"] == "USA"].set_index("target")
    back = pol[pol["target"] == "USA"].set_index("imposer")
    assert set(back.index) == set(us.index)
    for c in us.index:
        assert back.loc[c, "rate_after"] - back.loc[c, "rate_before"] == pytest.approx(
            us.loc[c, "rate_after"] - us.loc[c, "rate_before"])


def test_per_economy_model_overrides(tmp_path: Path, mini_dataset: Path) -> None:
    text = LIBERATION.format(dataset=mini_dataset).replace(
        "model: {preset: ignatenko2025}", "model: {preset: ignatenko2025, nu: {USA: 0.3, "
        "EU: 0.2, default: 0.1}, closure: balanced}")
    res = simulate(load_scenario(write(tmp_path, text)))
    p = res.params
    w = res.world
    assert p.nu[w.index("USA")] == 0.3 and p.nu[w.index("DEU")] == 0.2
    assert p.nu[w.index("CHN")] == 0.1
    assert p.phi[w.index("USA")] > p.phi[w.index("DEU")] > p.phi[w.index("CHN")] > 1
    assert abs(res.outcome.baseline.T).max() < 1e-8  # balanced first (Ossa 2014)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("rate: 0.10", "rate: ten"),
         r"s.yaml, line 6, field 'policies\[0\].tariff.rate': .*got 'ten'"),
        (lambda t: t.replace("tariff: {by: USA, on: all", "tarif: {by: USA, on: all"),
         r"s.yaml, line 6, field 'policies\[0\].tarif': unknown action 'tarif'"),
        (lambda t: t.replace("exempt: [CAN, MEX]}\n  - recip", "exempt: [CAN, MEX], x: 1}\n"
                             "  - recip"),
         r"s.yaml, line 6, field 'policies\[0\].tariff.x': unknown field"),
        (lambda t: t.replace("method: ustr-2025", "method: ustr-2024"),
         r"s.yaml, line 7, field 'policies\[1\].reciprocal_tariff.method'"),
        (lambda t: t.replace("description: a test", "descripton: a test"),
         r"s.yaml, line 2, field 'descripton': unknown field"),
        (lambda t: t.replace("model: {preset: ignatenko2025}", "model: {preset: gtap}"),
         r"s.yaml, line 4, field 'model.preset'"),
        (lambda t: t + "  - tariff\n",
         r"s.yaml, line 8, field 'policies\[2\]': each policy is a mapping with one action"),
        (lambda t: t.replace("policies:", "policies: [\n"), r"s.yaml, line \d+: invalid YAML"),
    ],
)
def test_scenario_errors_name_line_and_field(tmp_path: Path, mini_dataset: Path, edit,
                                             message: str) -> None:
    text = edit(LIBERATION.format(dataset=mini_dataset))
    with pytest.raises(ScenarioError, match=message) as info:
        load_scenario(write(tmp_path, text))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("exempt: [CAN, MEX]}\n  - recip", "exempt: [CAN, XYZ]}\n  - recip"),
         r"s.yaml, line 6, field 'policies\[0\].tariff.exempt\[1\]': unknown economy or group "
         r"'XYZ'"),
        (lambda t: t.replace("model: {preset: ignatenko2025}",
                             "model: {preset: ignatenko2025, nu: {ZZZ: 0.2, default: 0.1}}"),
         r"s.yaml, line 4, field 'model.nu': unknown economy or group 'ZZZ'"),
        (lambda t: t.replace("model: {preset: ignatenko2025}",
                             "model: {preset: ignatenko2025, nu: 1.5}"),
         r"s.yaml, line 4, field 'model.nu': 1.5 for USA must lie in \[0, 1\)"),
        (lambda t: t.replace("dataset: ", "dataset: /no/such/"),
         r"no such folder or bundled dataset"),
    ],
)
def test_errors_found_against_the_dataset(tmp_path: Path, mini_dataset: Path, edit,
                                          message: str) -> None:
    text = edit(LIBERATION.format(dataset=mini_dataset))
    with pytest.raises(Exception, match=message) as info:
        simulate(load_scenario(write(tmp_path, text)))
    assert "\n" not in str(info.value)


def test_unknown_scenario_name() -> None:
    with pytest.raises(ScenarioError, match="no such file or bundled scenario"):
        load_scenario("no-such-scenario")


def test_scenario_from_dict_without_a_file(mini_dataset: Path) -> None:
    sc = Scenario.from_dict({"name": "x", "dataset": str(mini_dataset),
                             "policies": [{"tariff": {"by": "EU", "on": ["CHN"], "rate": 0.5}}]})
    res = simulate(sc)
    assert set(res.policies["imposer"]) == {"DEU", "FRA"}


def test_strong_scale_economies_run_with_a_warning(tmp_path: Path, mini_dataset: Path) -> None:
    text = LIBERATION.format(dataset=mini_dataset).replace(
        "model: {preset: ignatenko2025}", "model: {preset: ignatenko2025, psi: 0.3}")
    res = simulate(load_scenario(write(tmp_path, text)))
    assert any("may not be unique" in w for w in res.warnings)
    assert np.isfinite(res.economies["welfare_pct"]).all()


def test_balance_with_in_a_scenario(tmp_path: Path, mini_dataset: Path) -> None:
    text = LIBERATION.format(dataset=mini_dataset).replace(
        "model: {preset: ignatenko2025}", "model: {preset: ignatenko2025, balance_with: CHN}")
    res = simulate(load_scenario(write(tmp_path, text)))
    assert res.params.balance_with == ("CHN",)
    assert np.isfinite(res.economies["welfare_pct"]).all()
    bad = text.replace("balance_with: CHN", "balance_with: XYZ")
    with pytest.raises(ScenarioError, match=r"model.balance_with.*unknown economy or group"):
        simulate(load_scenario(write(tmp_path, bad, "bad.yaml")))


def test_simulate_returns_the_engine_warnings_of_the_run(tmp_path: Path) -> None:
    """A layer's warning (here: the order layer on a dataset without memberships) belongs to the
    run, not to a date's solution: ``simulate`` must return it, as ``worldorder run`` prints
    it."""
    from tests.builders import random_world

    world = random_world(5, seed=2)
    f = write(tmp_path, "name: t\nsteps:\n  - date: 2025-01-01\n    source: a test step\n"
              "    tariff: {by: E00, on: [E01], rate: 0.2}\n")
    timeline = simulate_timeline(f, world=world)
    layer = [w for w in timeline.warnings if "lists no membership" in w]
    assert layer and not any(w in timeline.last.warnings for w in layer)  # the run's only
    res = simulate(f, world=world)
    assert all(w in res.warnings for w in layer)
    assert res.warnings[:len(timeline.last.warnings)] == timeline.last.warnings
