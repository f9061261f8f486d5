"""The README's key figures are what the commands it shows print on the bundled data.

Cheap figures only (one equilibrium each): the Liberation Day table (USA and China on
``world-2023`` and ``world-2024``), and the welfare figures of the retaliation and US–China
scenarios quoted in the text. The strategy tables (bargaining, coalitions, Carney's comparison)
take minutes; they were recomputed with the commands the README names, and
``tests/cli/test_middle_powers.py`` and ``tests/strategy/`` test their machinery.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from worldorder import simulate

README = Path(__file__).resolve().parents[1] / "README.md"
# the table's columns: (README header, economies column, decimals shown)
TABLE = [("welfare", "welfare_pct", 2), ("real wage", "real_wage_pct", 2),
         ("employment", "employment_pct", 2), ("prices", "price_index_pct", 2),
         ("exports/GDP", "exports_to_gdp_pct", 1), ("imports/GDP", "imports_to_gdp_pct", 1),
         ("deficit", "trade_balance_change_pct", 1),
         ("tariff revenue, % GDP", "tariff_revenue_pct_gdp", 2)]
SCENARIOS = {"world-2023": "liberation-day-2025-world-2023", "world-2024": "liberation-day-2025"}


def _text() -> str:
    return README.read_text(encoding="utf-8").replace("−", "-")


@cache
def _economies(scenario: str) -> pd.DataFrame:
    return simulate(scenario).economies.set_index("economy")


def _shown(value: float, decimals: int) -> str:
    return f"{value:+.{decimals}f}" if decimals else f"{value:+.0f}"


def _row(economy: str, dataset: str) -> list[str]:
    for line in _text().splitlines():
        if line.startswith(f"| {economy}, `{dataset}` |"):
            return [c.strip() for c in line.strip("|").split("|")][1:]
    raise AssertionError(f"no README row for {economy} on {dataset}")


@pytest.mark.parametrize("dataset", sorted(SCENARIOS))
@pytest.mark.parametrize("economy", ["USA", "CHN"])
def test_liberation_day_table(economy: str, dataset: str) -> None:
    header = next(ln for ln in _text().splitlines() if ln.startswith("| economy, run |"))
    assert [c.strip() for c in header.strip("|").split("|")][1:] == [h for h, _, _ in TABLE]
    row = _row(economy, dataset)
    got = _economies(SCENARIOS[dataset]).loc[economy]
    for (label, column, decimals), cell in zip(TABLE, row, strict=True):
        expected = _shown(float(got[column]), decimals)
        if label.startswith("tariff revenue"):
            expected = expected.lstrip("+")
        assert cell == expected, (economy, dataset, label, cell, float(got[column]))


@pytest.mark.parametrize(("phrase", "scenario", "economy"), [
    ("US welfare falls by {} on `world-2023`", "liberation-day-2025-retaliation-world-2023",
     "USA"),
    ("(`liberation-day-2025-retaliation-world-2023`) and {} on `world-2024`",
     "liberation-day-2025-retaliation", "USA"),
    ("in `us-china-2025` the US loses {}", "us-china-2025", "USA"),
    ("and China {}.", "us-china-2025", "CHN"),
])
def test_welfare_figures_in_the_text(phrase: str, scenario: str, economy: str) -> None:
    value = -float(_economies(scenario).loc[economy, "welfare_pct"])
    text = " ".join(_text().split())
    assert phrase.format(f"{value:.2f}%") in text, (phrase, value)
