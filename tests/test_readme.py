"""The README names every bundled scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from worldorder.scenarios import bundled_scenarios

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_every_bundled_scenario_is_in_the_readme(name: str) -> None:
    assert f"`{name}`" in README.read_text(encoding="utf-8")
