"""The security layers on the dates of a simulation: every date recorded, and each action's
consequence checked against the closed forms of the models."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import mini_world, random_world
from worldorder.data import load_world
from worldorder.data.panels import load_panel
from worldorder.errors import ScenarioError
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import build_simulation
from worldorder.security.inputs import fractional_year
from worldorder.security.layer_power import pledge_share
from worldorder.security.pledges import coercive_shares, linear_shares

SCENARIO = """name: security-layers
description: An exit, a tariff, a pledge with a doubtful commitment, a troop move and aid cuts.
steps:
  - date: 2025-01-20
    withdraw: {economy: USA, organization: WHO, effective: 2026-01-22}
  - date: 2025-01-20
    aid_cut: {donor: USA, share: 0.5, program: half of everything}
  - date: 2025-03-04
    tariff: {by: USA, on: [CHN, JPN], rate: 0.2}
  - date: 2025-06-25
    defense_pledge: {by: [DEU, POL], target_pct_gdp: 5.0, by_year: 2035}
  - date: 2025-06-25
    commitment: {patron: USA, allies: [DEU], credibility: 0.2}
  - date: 2025-09-01
    troop_posture: {by: USA, from_host: DEU, troops: 10000}
  - date: 2026-02-01
    join: {economy: CHN, organization: NATO}
"""


@pytest.fixture(scope="module")
def run() -> dict[str, pd.DataFrame]:
    sim = build_simulation(Scenario.from_text(SCENARIO), world=load_world("world-2024"))
    sim.run()
    return sim.tables()


def _at(df: pd.DataFrame, date: str) -> pd.DataFrame:
    return df[df["date"] == date]


DATES = ["2025-01-20", "2025-03-04", "2025-06-25", "2025-09-01", "2026-02-01"]


def test_every_date_is_recorded(run: dict[str, pd.DataFrame]) -> None:
    for table in ("offshore", "alignment", "organizations", "order_index", "legitimacy",
                  "security_power"):
        assert sorted(run[table]["date"].unique()) == DATES, table
    for table in ("defense_paths", "patron_saving", "alliance_network", "security_params",
                  "security_basis", "commitments", "aid_cuts"):
        assert set(run[table]["date"]) <= {DATES[-1], "2025-06-25", "2025-01-20"}, table
        assert len(run[table]), table


def test_a_pledge_with_a_doubtful_commitment_follows_coercive_burden_sharing(
        run: dict[str, pd.DataFrame]) -> None:
    mx = load_panel("milex", years=2024).set_index("iso3")
    s0 = {c: float(mx.loc[c, "milex_share_gdp"]) for c in ("DEU", "POL")}
    # DEU: commitment 0.2 -> abandonment 0.8, partial adjustment 0.3 a year from the pledge
    # (25 June 2025: the path starts at the later of the base year and the pledge's date)
    start = fractional_year("2025-06-25")
    star = s0["DEU"] + 0.8 * (0.05 - s0["DEU"])
    expect = star - (star - s0["DEU"]) * 0.7 ** (2027 - start)
    whole = coercive_shares(np.array([s0["DEU"]]), 0.05, np.array([2024, 2025]), 2024, 0.8,
                            np.ones(1), 0.3)[-1, 0]   # the same rule in whole years
    assert whole == pytest.approx(star - (star - s0["DEU"]) * 0.7)
    # POL is above 4%: the linear path from the pledge to 5% in 2035
    lin = linear_shares(np.array([s0["POL"]]), 0.05, np.array([2027]), start, 2035)[0, 0]
    paths = run["defense_paths"].set_index(["economy", "year"])
    assert paths.loc[("DEU", 2027), "share_pct_gdp"] == pytest.approx(100 * expect)
    assert paths.loc[("POL", 2027), "share_pct_gdp"] == pytest.approx(100 * lin)
    assert paths.loc[("DEU", 2025), "share_pct_gdp"] == pytest.approx(100 * s0["DEU"])
    assert paths.loc[("DEU", 2024), "share_pct_gdp"] == pytest.approx(100 * s0["DEU"])
    assert paths.loc[("POL", 2035), "share_pct_gdp"] == pytest.approx(5.0)
    assert paths.loc[("DEU", 2035), "rule"] == "coercive"
    assert paths.loc[("DEU", 2035), "share_pct_gdp"] < 5.0
    sav = run["patron_saving"]
    assert set(sav["model"]) == {"olson-zeckhauser", "joint-product"}
    assert (sav.loc[sav["year"] > 2025, "saving"] > 0).all()
    assert (sav.loc[sav["year"] <= 2025, "saving"] == 0).all()  # the pledge is of mid-2025


def test_a_troop_withdrawal_moves_the_us_posture(run: dict[str, pd.DataFrame]) -> None:
    off = run["offshore"]
    eu = off[(off["region"] == "europe") & (off["model"] == "offshore-balancing")]
    troops = eu.set_index("date")["us_troops"]
    assert troops["2025-06-25"] - troops["2025-09-01"] == pytest.approx(10000)


def test_exits_move_multilateralism_and_budgets_only_when_effective(
        run: dict[str, pd.DataFrame]) -> None:
    oi = run["order_index"].set_index("date")
    org = run["organizations"].set_index(["date", "organization"])
    assert org.loc[("2025-09-01", "WHO"), "under_notice"] == 1
    assert org.loc[("2025-09-01", "WHO"), "budget_share_lost"] == 0.0
    assert org.loc[("2026-02-01", "WHO"), "budget_share_lost"] == pytest.approx(0.22)
    assert org.loc[("2026-02-01", "WHO"), "gone"] == "USA"
    part = org["participation"]
    assert part[("2026-02-01", "WHO")] < part[("2025-09-01", "WHO")]
    assert oi.loc["2026-02-01", "multilateralism"] < oi.loc["2025-09-01", "multilateralism"]
    # organisations a member left without a funding figure (Israel's UNESCO exit of 2019,
    # exits from the ICC) drop out of the mean
    lost = org.xs("2026-02-01", level="date")["budget_share_lost"]
    assert lost.isna().any() and lost.notna().sum() >= 3
    assert oi.loc["2026-02-01", "institutions_intact"] < oi.loc["2025-09-01",
                                                                "institutions_intact"]


def test_a_discriminatory_tariff_lowers_mfn_non_coercion_and_legitimacy(
        run: dict[str, pd.DataFrame]) -> None:
    oi = run["order_index"].set_index("date")
    # US-China trade is discriminated at baseline already (Section 301): JPN's exports move MFN
    assert oi.loc["2025-03-04", "mfn"] < oi.loc["2025-01-20", "mfn"]
    assert oi.loc["2025-03-04", "non_coercion"] < 1.0
    assert oi.loc["2025-03-04", "coercive_imposers"] == "USA"
    coer = _at(run["coercion"], "2025-03-04").set_index("imposer")
    assert coer.loc["USA", "targets"] == 2  # CHN and JPN: duties above the baseline
    leg = run["legitimacy"]
    us_cn = leg[(leg["power"] == "USA") & (leg["economy"] == "CHN")].set_index("date")
    assert us_cn.loc["2025-03-04", "burden_pct_gdp"] > 0
    assert us_cn.loc["2025-03-04", "legitimacy"] < us_cn.loc["2025-01-20", "legitimacy"] < 1.0


def test_legitimacy_follows_its_update_rule(run: dict[str, pd.DataFrame]) -> None:
    """The order layer's legitimacy: ℓ(d) = λ ℓ(d⁻) − (1 − λ) x(d), λ = exp(−Δ/τ), τ = 90 days
    (the model's default)."""
    leg = run["legitimacy"]
    for (_power, _econ), part in leg.groupby(["power", "economy"]):
        ell, prev = 0.0, None
        for d, x, r in zip(part["date"], part["pressure"], part["legitimacy"], strict=True):
            day = pd.Timestamp(d)
            gap = 1.0 if prev is None else (day - prev).days
            lam = math.exp(-gap / 90.0)
            ell = lam * ell - (1 - lam) * x
            prev = day
            assert r == pytest.approx(math.exp(ell), rel=1e-12)


def test_aid_cuts_are_priced_per_recipient(run: dict[str, pd.DataFrame]) -> None:
    loss = run["aid_losses"]
    assert set(loss["date"]) == {"2025-01-20"}
    assert (loss["share_cut"] == 0.5).all()
    isr = loss[loss["iso3"] == "ISR"]
    aid = load_panel("us_aid", years=2020).set_index("iso3")["disbursements_current_usd"]
    assert isr["loss_usd"].iloc[0] == pytest.approx(0.5 * max(aid["ISR"] - 3.3e9, 0.0)) \
        if len(isr) else aid["ISR"] <= 3.3e9


def test_joining_a_club_moves_alignment(run: dict[str, pd.DataFrame]) -> None:
    al = run["alignment"].set_index(["date", "economy"])
    assert al.loc[("2026-02-01", "CHN"), "position"] == -1.0  # the powers are the poles
    rus = al.xs("RUS", level="economy")
    assert rus["membership"].nunique() == 1
    jpn = al.xs("JPN", level="economy")
    assert (jpn["position"].between(-1, 1)).all()
    assert jpn.loc["2025-01-20", "position_baseline"] == pytest.approx(
        jpn.loc["2025-01-20", "position"])


def test_parameters_are_overridable_and_checked_when_read() -> None:
    text = SCENARIO.replace(
        "steps:\n", "steps:\n  - date: 2025-01-20\n    security_params: {model: "
                    "offshore-balancing, params: {threshold: 1000.0}}\n", 1)
    sim = build_simulation(Scenario.from_text(text), world=load_world("world-2024"))
    sim.run()
    tables = sim.tables()
    off = tables["offshore"]
    assert not off.loc[off["model"] == "offshore-balancing", "holds"].any()
    params = tables["security_params"]
    row = params[(params["model"] == "offshore-balancing") & (params["parameter"] == "threshold")]
    assert row["value"].iloc[0] == "1000.0" and row["set_on"].iloc[0] == "2025-01-20"
    bad = SCENARIO.replace("steps:\n", "steps:\n  - date: 2025-01-20\n    security_params: "
                           "{model: legitimacy, params: {alpha: 1}}\n", 1)
    with pytest.raises(ScenarioError, match="unknown parameter 'alpha'"):
        Scenario.from_text(bad)
    old = SCENARIO.replace("steps:\n", "steps:\n  - date: 2025-01-20\n    security_params: "
                           "{model: dated-power, params: {base_year: 1900}}\n", 1)
    with pytest.raises(ScenarioError, match="covers 1949-2024"):
        Scenario.from_text(old)
    region = SCENARIO.replace("steps:\n", "steps:\n  - date: 2025-01-20\n    security_params: "
                              "{model: dated-power, params: {regions: [atlantis]}}\n", 1)
    with pytest.raises(ScenarioError, match="unknown region 'atlantis'"):
        Scenario.from_text(region)


def test_a_synthetic_world_runs_without_panel_rows() -> None:
    """Economies that are not in the panels get no rows; coercion is still measured."""

    w = random_world(4, seed=3)
    text = ("name: toy\nsteps:\n  - date: 2025-02-01\n    tariff: {by: E00, on: [E01], "
            "rate: 0.3}\n")
    sim = build_simulation(Scenario.from_text(text), world=w)
    sim.run()
    t = sim.tables()
    assert t["offshore"].empty and t["alignment"].empty and t["defense_paths"].empty
    assert list(t["coercion"]["imposer"]) == ["E00"]
    assert t["organizations"].empty


def test_the_mini_world_has_every_table() -> None:
    text = ("name: mini\nsteps:\n  - date: 2025-02-01\n    tariff: {by: USA, on: [CHN], "
            "rate: 0.3}\n")
    sim = build_simulation(Scenario.from_text(text), world=mini_world())
    sim.run()
    t = sim.tables()
    assert len(t["alliance_network"]) == 2
    assert set(t["alignment"]["economy"]) == set(mini_world().codes)


@settings(max_examples=40, deadline=None)
@given(s0=st.floats(0.0, 0.2), target=st.floats(0.01, 0.2), year=st.floats(2024, 2040),
       by=st.integers(2025, 2040), c=st.floats(0.0, 1.0), speed=st.floats(0.01, 1.0))
def test_pledge_paths_stay_between_the_base_share_and_the_target(
        s0: float, target: float, year: float, by: int, c: float, speed: float) -> None:
    lin = pledge_share(np.array([s0]), target, year, 2024, by)[0]
    co = pledge_share(np.array([s0]), target, year, 2024, by, np.array([c]), None, speed)[0]
    hi = max(s0, target)
    assert s0 - 1e-12 <= lin <= hi + 1e-12 and s0 - 1e-12 <= co <= hi + 1e-12
    if year >= by:
        assert lin == pytest.approx(max(s0, target))
    if c == 0.0:
        assert co == pytest.approx(s0)
