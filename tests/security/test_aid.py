"""Aid cuts, restorations and new aid priced by recipient; exposure to democracy promotion."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import bundled_record as record
from worldorder.errors import SecurityModelError
from worldorder.security.aid import (
    AidCutPricing,
    DemocracyExposure,
    aid_level,
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


TABLE = pd.DataFrame({"iso3": ["A", "B", "ISR"], "economy": ["A", "ROW", "ISR"],
                      "aid_usd": [100.0, 50.0, 3.4e9], "gdp_usd": [1000.0, 500.0, 5e11],
                      "aid_pct_gdp": [10.0, 10.0, 0.68]})


def _rec(kind: str, share: float, **more: object) -> dict[str, object]:
    return {"donor": "USA", "share": share, "recipients": "all", "kind": kind, **more}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=5), st.floats(0.0, 2.0))
def test_cuts_fully_restored_return_every_recipient_to_the_base_year_exactly(
        cuts: list[float], given_before: float) -> None:
    records = [_rec("give", given_before)] if given_before else []
    records += [_rec("cut", s) for s in cuts] + [_rec("restore", 1.0)]
    level, listed = aid_level(records)
    by, _ = price_aid_cuts(records, TABLE)
    if (1.0 + given_before) * math.prod(1.0 - s for s in cuts) < 1.0:
        assert level == 1.0  # exactly: a restoration never goes above the base year
        assert (by["change_usd"] == 0.0).all() and (by["loss_usd"] == 0.0).all()
    else:  # the new aid outweighed the cuts: nothing to restore
        assert listed["reason"].iloc[-1] == "nothing was cut: nothing to restore"
    assert listed["priced"].all()


def test_restorations_and_new_aid_mirror_the_cuts() -> None:
    # cut 40%, then give back half of it: 20% of the base year is still cut
    by, listed = price_aid_cuts([_rec("cut", 0.4), _rec("restore", 0.5)], TABLE)
    by = by.set_index("iso3")
    assert by.loc["A", "level"] == pytest.approx(0.8)
    assert by.loc["A", "loss_usd"] == pytest.approx(20.0)
    assert by.loc["A", "change_usd"] == pytest.approx(-20.0)
    assert by.loc["B", "change_pct_gdp"] == pytest.approx(-2.0)
    # new aid of 10% on top of the base year: a gain, military aid (Israel's FMF) left out
    by, _ = price_aid_cuts([_rec("give", 0.1)], TABLE)
    by = by.set_index("iso3")
    assert by.loc["A", "change_usd"] == pytest.approx(10.0)
    assert by.loc["A", "share_cut"] == 0.0 and by.loc["A", "loss_usd"] == 0.0
    assert by.loc["ISR", "change_usd"] == pytest.approx(0.1 * 0.1e9)
    # a cut after new aid cuts it too: F = (1 + g)(1 - s)
    level, _ = aid_level([_rec("give", 0.25), _rec("cut", 0.2)])
    assert level == pytest.approx(1.0)
    # listed recipients and amounts are recorded, not priced, as for cuts
    _, listed = price_aid_cuts([_rec("restore", 1.0, recipients=["A"]),
                                {"donor": "USA", "amount": 1.0, "kind": "give"}], TABLE)
    assert not listed["priced"].any()
    assert list(listed["kind"]) == ["restore", "give"]


def test_bad_aid_records() -> None:
    with pytest.raises(SecurityModelError, match="aid restore must lie in"):
        aid_level([_rec("restore", 1.5)])
    with pytest.raises(SecurityModelError, match="unknown kind of aid record 'loan'"):
        aid_level([_rec("loan", 0.1)])
