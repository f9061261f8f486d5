"""What a membership costs and returns (the rule america_first exits by): closed forms on the
mini world, the bundled funding shares, the estimated costs and agreements, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import mini_world
from worldorder.data import load_world
from worldorder.data.panels import economy_panel
from worldorder.errors import SecurityModelError
from worldorder.security.membership_balance import (
    NO_BUDGET,
    agreement_with,
    live_memberships,
    membership_balance,
)

WORLD = mini_world()
ON = "2026-01-01"


def test_closed_form_on_the_mini_world() -> None:
    agree = pd.Series(0.5, index=WORLD.codes)
    agree["CHN"] = 0.1
    t = membership_balance(WORLD, WORLD.memberships, "USA", ON, agreement=agree,
                           value_ratio=2.0).set_index("organization")
    assert list(t.index) == ["WHO", "WTO", "NATO"]
    y = pd.Series(WORLD.gdp, index=WORLD.codes)
    sigma = 29.0 / y.sum()
    others = y.drop("USA")
    abar = float((others * agree[others.index]).sum() / others.sum())
    assert t.loc["WHO", "gdp_share"] == pytest.approx(sigma)
    assert t.loc["WHO", "agreement"] == pytest.approx(abar)
    assert t.loc["WHO", "return"] == pytest.approx(2.0 * sigma * abar)
    # costs: the bundled assessed WHO scale (not the share of all contributions), the WTO's
    # share; NATO has no bundled figure: GDP share among its members, at most the ceiling
    assert t.loc["WHO", "cost"] == 0.22 and "assessed" in t.loc["WHO", "cost_basis"]
    assert t.loc["WTO", "cost"] == 0.11 and not t.loc["WTO", "cost_estimated"]
    nato = 29.0 / y[["USA", "CAN", "FRA", "DEU"]].sum()
    assert t.loc["NATO", "cost_estimated"] and t.loc["NATO", "cost"] == 0.22 < nato
    assert t.loc["NATO", "gdp_share"] == pytest.approx(nato)
    assert (t["net"] == t["cost"] - t["return"]).all()
    # a small member's estimated cost is its GDP share (under the ceiling)
    can = membership_balance(WORLD, WORLD.memberships, "CAN", ON, agreement=agree)
    assert (can["cost"] == can["gdp_share"]).all() and can["cost_estimated"].all()


@settings(max_examples=25, deadline=None)
@given(st.floats(0.0, 10.0), st.floats(0.0, 10.0))
def test_the_return_is_linear_in_the_value_ratio(r1: float, r2: float) -> None:
    a = membership_balance(WORLD, WORLD.memberships, "USA", ON, value_ratio=r1)
    b = membership_balance(WORLD, WORLD.memberships, "USA", ON, value_ratio=r2)
    assert np.allclose(a["return"] * r2, b["return"] * r1, rtol=1e-12, atol=1e-15)
    assert (a["cost"] == b["cost"]).all()


def test_only_memberships_in_force_without_a_scheduled_exit() -> None:
    m = WORLD.memberships.assign(until="")
    m.loc[(m["economy"] == "USA") & (m["organization"] == "WHO"), "until"] = "2027-01-01"
    m = pd.concat([m, pd.DataFrame([{"economy": "USA", "organization": "G7", "since": "2030",
                                     "until": ""}])], ignore_index=True)
    live = live_memberships(m, ON)
    usa = set(live.loc[live["economy"] == "USA", "organization"])
    assert usa == {"WTO", "NATO"}  # the WHO exit is scheduled; the G7 not joined yet
    later = membership_balance(WORLD, m, "USA", "2031-01-01")
    assert "G7" in set(later["organization"])
    assert later.set_index("organization").loc["G7", "cost"] == 0.0  # no budget of its own
    assert "G7" in NO_BUDGET and "UNHRC" in NO_BUDGET


def test_the_us_on_world_2024() -> None:
    w = load_world("world-2024")
    t = membership_balance(w, w.memberships, "USA", ON).set_index("organization")
    # the agreement is the panel's own column for the US (not estimated)
    assert not t["agreement_estimated"].any()
    u = economy_panel("unga", w, years=2023).set_index("economy")["agree_us"]
    who = [c for c in w.memberships.query("organization == 'WHO'")["economy"] if c != "USA"]
    y = pd.Series(w.gdp, index=w.codes)[who]
    ok = u.reindex(who).notna()
    assert t.loc["WHO", "agreement"] == pytest.approx(
        float((y[ok] * u.reindex(who)[ok]).sum() / y[ok].sum()))
    # the WHO and the Paris Agreement cost more than they return, UNESCO and the clubs less
    for org in ("WHO", "PARIS", "UN"):
        assert t.loc[org, "net"] > 0.05, org
    for org in ("UNESCO", "G7", "G20", "NATO", "USMCA", "UNHRC"):
        assert t.loc[org, "net"] < 0, org


def test_agreement_estimated_from_ideal_points_for_states_the_panel_does_not_score() -> None:
    w = load_world("world-2024")
    us, est_us = agreement_with(w, "USA", 2023)
    de, est_de = agreement_with(w, "DEU", 2023)
    assert not est_us and est_de
    panel = economy_panel("unga", w, years=2023).set_index("economy")["agree_us"]
    assert us.equals(panel.reindex(list(w.codes)).astype(float).rename("agreement"))
    assert de.dropna().between(0, 1).all()
    theta = economy_panel("unga", w, years=2023).set_index("economy")["ideal_point"]
    # decreasing in the ideal-point distance
    d = (theta - theta["DEU"]).abs().reindex(de.index)
    ok = de.notna() & d.notna() & (de > 0) & (de < 1)
    order = np.argsort(d[ok].to_numpy())
    assert np.all(np.diff(de[ok].to_numpy()[order]) <= 1e-12)


def test_bad_input() -> None:
    with pytest.raises(SecurityModelError, match="'XXX' is not an economy of dataset 'mini'"):
        membership_balance(WORLD, WORLD.memberships, "XXX", ON)
    with pytest.raises(SecurityModelError, match="value_ratio must be a finite number"):
        membership_balance(WORLD, WORLD.memberships, "USA", ON, value_ratio=-1.0)
    with pytest.raises(SecurityModelError, match="ceiling must lie in"):
        membership_balance(WORLD, WORLD.memberships, "USA", ON, ceiling=0.0)
