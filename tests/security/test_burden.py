"""Alliance games (Olson-Zeckhauser, joint product) against their closed forms, and pledge
paths (compliance, coercive burden-sharing) with the patron's saving."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import spearmanr

from worldorder.data.panels import load_panel
from worldorder.errors import SecurityModelError
from worldorder.security import (
    CoerciveBurdenSharing,
    JointProduct,
    OlsonZeckhauser,
    PledgeCompliance,
    jp_best_response,
    jp_nash,
    jp_symmetric,
    oz_best_response,
    oz_nash,
    oz_symmetric,
    patron_saving,
    pledge_baseline,
)
from worldorder.security.pledges import check_target, coercive_shares, linear_shares
from worldorder.security.public_good import (
    allies_at_or_above,
    calibrate_a,
    exploitation_test,
    oz_optimum_symmetric,
)

incomes = arrays(float, st.integers(2, 12), elements=st.floats(1.0, 1000.0))


@pytest.mark.parametrize(("n", "a"), [(1, 0.3), (2, 0.1), (5, 0.2), (30, 0.05)])
def test_olson_zeckhauser_symmetric_nash_closed_form(n: int, a: float) -> None:
    m, q = oz_nash(np.full(n, 10.0), a)
    m_cf, q_cf = oz_symmetric(n, 10.0, a)
    assert m == pytest.approx(np.full(n, m_cf), rel=1e-10)
    assert q == pytest.approx(q_cf, rel=1e-10)
    # underprovision: Q / Q* = 1 / (a + n (1 - a))
    assert q / oz_optimum_symmetric(n, 10.0, a) == pytest.approx(1 / (a + n * (1 - a)))


@settings(max_examples=40, deadline=None)
@given(incomes, st.floats(0.02, 0.9))
def test_olson_zeckhauser_nash_is_a_mutual_best_response(inc: np.ndarray, a: float) -> None:
    m, q = oz_nash(inc, a)
    br = oz_best_response(inc, a, q - m)
    assert m == pytest.approx(br, abs=1e-9 * inc.sum())
    # exploitation of the great by the small: spending is non-decreasing in income
    order = np.argsort(inc)
    assert np.all(np.diff(m[order]) >= -1e-9 * inc.sum())


def test_only_the_rich_contribute_when_incomes_differ() -> None:
    m, q = oz_nash(np.array([100.0, 10.0, 5.0, 1.0]), 0.1)
    assert m[1:] == pytest.approx([0, 0, 0]) and q == pytest.approx(10.0)


@pytest.mark.parametrize(("n", "a", "b"), [(1, 0.2, 0.1), (3, 0.1, 0.05), (10, 0.05, 0.02)])
def test_joint_product_symmetric_closed_form(n: int, a: float, b: float) -> None:
    m, q = jp_nash(np.full(n, 50.0), a, b)
    m_cf, q_cf = jp_symmetric(n, 50.0, a, b)
    assert m == pytest.approx(np.full(n, m_cf), rel=1e-9)
    assert q == pytest.approx(q_cf, rel=1e-9)


def test_joint_product_without_private_benefit_is_olson_zeckhauser() -> None:
    inc = np.array([80.0, 30.0, 10.0, 5.0])
    m_jp, _ = jp_nash(inc, 0.2, 0.0)
    m_oz, _ = oz_nash(inc, 0.2)
    assert m_jp == pytest.approx(m_oz, abs=1e-8)


@settings(max_examples=40, deadline=None)
@given(incomes, st.floats(0.01, 0.5), st.floats(0.001, 0.4))
def test_joint_product_nash_satisfies_every_first_order_condition(inc: np.ndarray, a: float,
                                                                  b: float) -> None:
    if a + b >= 0.95:
        return
    m, q = jp_nash(inc, a, b)
    c = 1 - a - b
    foc = a / q + b / m - c / (inc - m)
    assert foc * (inc - m) == pytest.approx(np.zeros_like(inc), abs=1e-7)
    # each ally's best response to the others reproduces its spending
    for i in range(inc.size):
        assert jp_best_response(inc[i], a, b, q - m[i]) == pytest.approx(m[i], rel=1e-7)


def test_private_benefits_weaken_free_riding() -> None:
    inc = np.array([100.0, 10.0, 5.0])
    m_oz, _ = oz_nash(inc, 0.1)
    m_jp, _ = jp_nash(inc, 0.05, 0.05)
    assert m_oz[2] == 0 and m_jp[2] > 0


def test_patron_responses_are_calibrated_and_the_models_disagree() -> None:
    oz = OlsonZeckhauser().patron_response(29000.0, 1000.0, 500.0, 900.0)
    jp = JointProduct().patron_response(29000.0, 1000.0, 500.0, 900.0)
    assert oz["before"] == pytest.approx(1000.0) and jp["before"] == pytest.approx(1000.0)
    a = calibrate_a(1000.0, 29000.0, 500.0)
    assert oz["saving"] == pytest.approx((1 - a) * 400.0)
    assert 0 < jp["saving"] < oz["saving"]


def test_pledge_targets_are_checked() -> None:
    assert check_target(0.05) == 0.05
    with pytest.raises(SecurityModelError, match="above 100% of GDP"):
        check_target(5.0)
    with pytest.raises(SecurityModelError, match="must be positive"):
        check_target(0.0)
    with pytest.raises(SecurityModelError, match="above 100% of GDP"):
        PledgeCompliance(target=1.5).path()
    with pytest.raises(SecurityModelError, match="must follow"):
        PledgeCompliance(target_year=2020).path()


def test_linear_and_coercive_share_paths() -> None:
    s0 = np.array([0.01, 0.03, 0.06])
    years = np.arange(2024, 2036)
    lin = linear_shares(s0, 0.05, years, 2024, 2035)
    assert lin[0] == pytest.approx(s0) and lin[-1] == pytest.approx([0.05, 0.05, 0.06])
    full = coercive_shares(s0, 0.05, years, 2024, 1.0, np.ones(3), 1.0)
    assert full[1] == pytest.approx([0.05, 0.05, 0.06])
    none = coercive_shares(s0, 0.05, years, 2024, 0.0, np.ones(3), 0.3)
    assert none == pytest.approx(np.tile(s0, (len(years), 1)))
    half = coercive_shares(s0, 0.05, years, 2024, 0.5, np.ones(3), 0.3)
    assert np.all(np.diff(half[:, 0]) >= 0) and half[-1, 0] < 0.03 + 1e-12


def test_nato_pledge_path_costs() -> None:
    base = pledge_baseline(2024)
    assert len(base) == 31 and "USA" not in set(base["iso3"])
    p = PledgeCompliance().path(base)
    start = p[p["year"] == 2024]
    assert start["extra_cost"].fillna(0).to_numpy() == pytest.approx(0.0)
    end = p[p["year"] == 2035].set_index("iso3")
    assert end.loc["DEU", "share"] == pytest.approx(0.05)
    assert end.loc["DEU", "extra_cost"] == pytest.approx(
        0.05 * base.set_index("iso3").loc["DEU", "gdp"] - base.set_index("iso3").loc["DEU",
                                                                                  "milex"])
    assert end["gap_to_pledge"].fillna(0).to_numpy() == pytest.approx(0.0)
    grown = PledgeCompliance(growth=0.02).path(base)
    assert (grown[grown["year"] == 2035]["spending"].sum()
            == pytest.approx(end["spending"].sum() * 1.02 ** 11))
    coerced = CoerciveBurdenSharing(credibility=0.5).path(base)
    ce = coerced[coerced["year"] == 2035].set_index("iso3")
    assert (ce["gap_to_pledge"].fillna(0) >= 0).all()
    assert ce["spending"].sum() < end["spending"].sum()
    troops = CoerciveBurdenSharing(dependence="troops").dependence(base)
    assert troops.max() == pytest.approx(1.0)
    assert base["iso3"].iloc[int(np.argmax(troops))] == "DEU"
    with pytest.raises(SecurityModelError, match="dependence must lie"):
        CoerciveBurdenSharing(dependence={"DEU": 2.0}).path(base)


def test_patron_saving_rises_with_the_allies_spending() -> None:
    p = PledgeCompliance().path()
    s = patron_saving(p)
    oz = s[s["model"] == "olson-zeckhauser"].set_index("year")
    jp = s[s["model"] == "joint-product"].set_index("year")
    assert oz.loc[2024, "saving"] == pytest.approx(0.0, abs=1e-6)
    assert np.all(np.diff(oz["saving"].to_numpy()) > 0)
    assert (jp.loc[2035, "saving"] < oz.loc[2035, "saving"])


def test_nato_allies_at_two_percent_by_sipri(reference_dir) -> None:
    assert len(allies_at_or_above(2014)) == 3
    assert set(allies_at_or_above(2014)["iso3"]) == {"USA", "GBR", "GRC"}
    assert len(allies_at_or_above(2024)) == 17
    # SIPRI's fact sheet (April 2025) counts 18 by its one-decimal figures: Sweden's 1.998%
    rounded = allies_at_or_above(2024, decimals=1)
    assert len(rounded) == 18 and "SWE" in set(rounded["iso3"])
    facts = reference_dir / "facts" / "nato_spending_2025.csv"
    if facts.is_file():
        assert "18 per Stoltenberg Feb-2024 projection (GN graphic) and per SIPRI" in \
            facts.read_text()


def test_exploitation_test_matches_scipy() -> None:
    e = exploitation_test(1960)
    nato = load_panel("nato")
    members = nato.loc[nato["accession_year"] <= 1960, "iso3"].tolist()
    mx = load_panel("milex", years=1960).set_index("iso3").reindex(members).dropna(
        subset=["gdp_current_usd_m", "milex_share_gdp"])
    ref = spearmanr(mx["gdp_current_usd_m"], mx["milex_share_gdp"])
    assert e["spearman"] == pytest.approx(ref.statistic)
    assert e["p_value"] == pytest.approx(ref.pvalue)
    assert e["n"] == 14 and e["missing"] == "ISL"
