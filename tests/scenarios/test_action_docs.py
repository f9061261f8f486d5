"""Action documentation generated from the action models (``worldorder actions NAME``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from worldorder.registry import ACTIONS
from worldorder.scenarios.action_docs import action_doc, action_docs_markdown
from worldorder.scenarios.scenario import Scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "actions.md"


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_action_has_fields_and_an_example_that_parses(name: str) -> None:
    d = action_doc(name)
    assert d["summary"] and d["doc"] and d["fields"]
    for f in d["fields"]:
        assert f["type"] and f["default"], f
    lines = [ln for ln in d["example"].splitlines() if not ln.startswith("#")]
    dated = lines[0].startswith("- date:")
    text = "name: example\ndataset: world-2024\n" + ("steps:\n" if dated else "policies:\n") \
        + "\n".join("  " + ln for ln in lines) + "\n"
    sc = Scenario.from_text(text)
    assert [type(a).name for _, a in sc.actions()] == [name]


def test_rates_are_documented_as_fractions() -> None:
    fields = {f["name"]: f for f in action_doc("tariff")["fields"]}
    assert fields["rate"]["type"] == "rate"
    assert fields["rate"]["unit"] == "fraction (0.25 = 25%)"
    assert fields["on"]["type"] == "code or list of codes or {code: rate}"
    deal = {f["name"]: f for f in action_doc("tariff_deal")["fields"]}
    assert deal["partner_rate"]["unit"] == "fraction (0.25 = 25%)"
    with pytest.raises(KeyError, match="unknown action 'tarif'"):
        action_doc("tarif")


def test_docs_actions_md_is_generated() -> None:
    assert DOC.read_text(encoding="utf-8") == action_docs_markdown(), \
        "run: python -m worldorder.scenarios.action_docs > docs/actions.md"
