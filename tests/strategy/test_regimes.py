"""Carney's comparison: the regime scenarios are valid and the comparison is consistent."""

from __future__ import annotations

import pytest

from worldorder import load_scenario, load_world
from worldorder.scenarios.scenario import Scenario
from worldorder.strategy.regimes import MIDDLE_POWERS, compare_regimes, regime_scenarios


def test_bundled_regime_scenarios_are_the_generated_ones() -> None:
    specs = regime_scenarios()
    for key in ("subordination", "fortress", "coalition"):
        bundled = load_scenario(specs[key]["name"])
        generated = Scenario.from_dict(specs[key])
        assert [type(s.action).name for s in bundled.steps] == \
            [type(s.action).name for s in generated.steps]
        assert bundled.steps[-1].action == generated.steps[-1].action
    assert list(load_scenario("middle-powers").steps[-1].action.members) == list(MIDDLE_POWERS)


def test_comparison_on_two_middle_powers() -> None:
    world = load_world("world-2024")
    table = compare_regimes(["JPN", "KOR"], world=world, fortress="members")
    assert list(table.index) == ["JPN", "KOR", "USA"]
    assert {"status_quo", "subordination", "fortress", "coalition", "best"} <= set(table.columns)
    # a bilateral deal at 15% all-in, with no tariffs on US goods, is what the US prefers
    assert table.loc["USA", "subordination"] > table.loc["USA", "coalition"]
    assert table.loc["USA", "subordination"] > table.loc["USA", "status_quo"]
    with pytest.raises(ValueError, match="fortress"):
        regime_scenarios(["JPN"], fortress="castle")
