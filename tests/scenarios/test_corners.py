"""Corner solutions: strategic rates at the cap of their search, found in a run's tables."""

from __future__ import annotations

import json

import pandas as pd

from worldorder.scenarios.corners import corner_note, search_corners


def timeline(action: str, parties: str, **details) -> pd.DataFrame:
    return pd.DataFrame([{"date": "2025-06-01", "action": action, "parties": parties,
                          "details": json.dumps(details)}])


POLICIES = pd.DataFrame([
    ("2025-06-01", "GBR", "USA", 1.0), ("2025-06-01", "GBR", "CHN", 1.0),
    ("2025-06-01", "DEU", "USA", 0.4), ("2025-06-01", "FRA", "USA", 1.0),
    ("2025-06-01", "USA", "CHN", 1.45)],
    columns=["date", "imposer", "target", "rate_after"])
EXPAND = {"EU": ["DEU", "FRA"]}


def expand(names):
    return [c for n in names for c in EXPAND.get(n, [n])]


def test_trade_war_players_at_the_cap() -> None:
    tl = timeline("trade_war", "GBR,EU", players=["GBR", "EU"], upper=1.0)
    found = search_corners(tl, POLICIES, expand)
    assert [(c.economy, c.rate, c.upper) for c in found] == [("FRA", 1.0, 1.0),
                                                             ("GBR", 1.0, 1.0)]
    assert corner_note(found).startswith("Corner solution: FRA, GBR at the 100% cap of the "
                                         "trade_war search.")


def test_the_answered_economy_is_not_a_corner() -> None:
    # USA charges 145% on China, above the cap, but it is not the one searching
    tl = timeline("coalition", "EU,USA", members=["EU"], against="USA", upper=1.0)
    assert [c.economy for c in search_corners(tl, POLICIES, expand)] == ["FRA"]
    mirror = timeline("coalition", "EU,USA", members=["EU"], against="USA", upper=1.0,
                      response="mirror")
    assert search_corners(mirror, POLICIES, expand) == []


def test_below_the_cap_is_no_corner() -> None:
    tl = timeline("trade_war", "GBR,EU", players=["GBR", "EU"], upper=2.0)
    assert search_corners(tl, POLICIES, expand) == [] and corner_note([]) == ""
