"""Aid cuts priced by recipient; exposure to democracy promotion."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import bundled_record as record
from worldorder.errors import SecurityModelError
from worldorder.security.aid import (
    AidCutPricing,
    DemocracyExposure,
    aid_table,
    cumulative_share,
    price_aid_cuts,
)


def test_cumulative_share() -> None:
    assert cumulative_share([0.5, 0.5]) == pytest.approx(0.75)
    assert cumulative_share([]) == 0.0
    with pytest.raises(SecurityModelError, match="shares"):
        cumulative_share([1.2])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), max_size=6))
def test_cumulative_share_is_order_free_and_at_least_the_largest_cut(s: list[float]) -> None:
    out = cumulative_share(s)
    assert out == pytest.approx(cumulative_share(list(reversed(s))))
    assert max(s, default=0.0) - 1e-12 <= out <= 1.0 + 1e-12


def test_price_aid_cuts_closed_form() -> None:
    table = pd.DataFrame({"iso3": ["A", "B", "ISR"], "economy": ["A", "ROW", "ISR"],
                          "aid_usd": [100.0, 50.0, 3.4e9], "gdp_usd": [1000.0, 500.0, 5e11],
                          "aid_pct_gdp": [10.0, 10.0, 0.68]})
    cuts = [{"donor": "USA", "share": 0.5, "recipients": "all", "program": "x", "date": "d1"},
            {"donor": "USA", "share": 0.2, "recipients": "all", "program": "y", "date": "d2"},
            {"donor": "USA", "amount": 0.239, "recipients": "all", "program": "NED"},
            {"donor": "USA", "program": "pause"}, {"donor": "GBR", "share": 1.0}]
    by, listed = price_aid_cuts(cuts, table)
    by = by.set_index("iso3")
    assert by.loc["A", "share_cut"] == pytest.approx(0.6)
    assert by.loc["A", "loss_usd"] == pytest.approx(60.0)
    assert by.loc["B", "loss_pct_gdp"] == pytest.approx(6.0)
    # Israel's FMF is outside the USAID cuts
    assert by.loc["ISR", "loss_usd"] == pytest.approx(0.6 * 0.1e9)
    assert list(listed["priced"]) == [True, True, False, False]


def test_bad_input() -> None:
    with pytest.raises(SecurityModelError, match="outside the aid panel"):
        aid_table(2024)
    with pytest.raises(SecurityModelError, match="unknown series"):
        aid_table(2020, "grants")


def test_the_2025_cuts_priced_on_the_record() -> None:
    run = record("us-2025-26")
    by, cuts = AidCutPricing().compute(run)
    assert cuts["priced"].sum() == 1  # the 83% cancellation; the others are listed, unpriced
    assert set(cuts[~cuts["priced"]]["reason"]) >= {"no share or amount stated",
                                                     "an amount without recipients "
                                                     "(programme-level)"}
    assert by["share_cut"].iloc[0] == pytest.approx(0.83)
    afg = by.set_index("iso3").loc["AFG"]
    assert afg["economy"] == "ROW" and afg["loss_pct_gdp"] > 5
    exp = DemocracyExposure().compute(run.world)
    assert exp["rank"].iloc[0] == 1 and exp["exposure"].is_monotonic_decreasing
    assert ((exp["polyarchy"] >= 0) & (exp["polyarchy"] <= 1)).all()
