"""Institutions and the rules-based order: closed forms, properties and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import bundled_record as record
from worldorder.errors import SecurityModelError
from worldorder.security.institutions import (
    RulesBasedOrder,
    SnidalKGroup,
    baseline_mfn,
    budget_loss,
    coercive_measures,
    funding,
    k_group,
    membership_panel,
    memorandum_2026,
    mfn_consistency,
    multilateralism,
    order_index,
    organizations,
)
from worldorder.security.model import MODELS


def test_the_memorandum_lists_66_organisations_31_of_them_un_entities() -> None:
    memo = memorandum_2026()
    assert len(memo) == 66 and memo["organization"].is_unique
    org = organizations().set_index("organization")
    assert (org.loc[memo["organization"], "kind"] == "un-entity").sum() == 31
    assert {"UNFCCC", "IPCC", "IRENA", "UNFPA", "UN-WOMEN", "UNCTAD"} <= set(memo["organization"])
    assert org["source"].str.len().gt(0).all() and org["confidence"].str.len().gt(0).all()
    f = funding()
    assert f["share"].between(0, 1).all() and f["source"].str.len().gt(0).all()


def test_membership_panel_statuses_follow_notice_and_effective_dates() -> None:
    m = pd.DataFrame({"economy": ["USA", "CAN"], "organization": ["WHO", "WHO"],
                      "since": ["1948-06-21", ""], "until": ["2026-01-22", ""]})
    notices = pd.DataFrame({"economy": ["USA"], "organization": ["WHO"],
                            "date": ["2025-01-20"]})
    p = membership_panel(m, ["2025-01-01", "2025-06-01", "2026-02-01"], notices=notices,
                         exits=memorandum_2026().head(1))
    us = p[(p["economy"] == "USA") & (p["organization"] == "WHO")].set_index("date")["status"]
    assert list(us) == ["member", "notice", "left"]
    assert set(p[p["economy"] == "CAN"]["status"]) == {"member"}
    memo = p[p["organization"] == memorandum_2026()["organization"].iloc[0]]
    assert list(memo["status"]) == ["member", "member", "left"]
    with pytest.raises(SecurityModelError, match="unknown organisation 'XYZ'"):
        membership_panel(m, ["2025-01-01"], organizations=["XYZ"])


def test_budget_loss_adds_the_leavers_shares_and_says_what_is_missing() -> None:
    sh = pd.DataFrame({"organization": ["O", "O", "O"], "member": ["A", "B", "C"],
                       "share": [0.22, 0.1, 0.05], "basis": ["assessed"] * 3,
                       "source": ["s"] * 3})
    out = budget_loss({"O": ["A", "C", "D"], "Q": ["A"]}, sh)
    o = out[out["organization"] == "O"].iloc[0]
    assert o["share_lost"] == pytest.approx(0.27) and o["missing"] == "D"
    assert np.isnan(out[out["organization"] == "Q"]["share_lost"].iloc[0])
    who = budget_loss({"WHO": ["USA"]}, basis="assessed contributions (")
    assert who["share_lost"].iloc[0] == pytest.approx(0.22)


def test_k_group_closed_forms() -> None:
    # n equal members, benefit/cost rho: the smallest group is ceil(n / rho)
    sizes = {f"M{i}": 1.0 for i in range(10)}
    assert k_group(sizes, 4.0)["k"] == 3 and k_group(sizes, 5.0)["k"] == 2
    assert k_group(sizes, 0.5)["k"] is None  # the regime costs more than it is worth
    # a hegemon with 40% of the members' size is a privileged group (Olson) at rho = 2.5
    h = {"H": 40.0, **{f"M{i}": 6.0 for i in range(10)}}
    assert k_group(h, 2.5) == {"k": 1, "group": ["H"], "coverage": 0.4, "threshold": 0.4,
                               "survives": True}
    # without it, 0.4 takes 7 of the 6% members: survives only if 7 can coordinate
    out = k_group(h, 2.5, exclude=["H"], k_max=5)
    assert out["k"] == 7 and not out["survives"]
    assert k_group(h, 2.5, exclude=["H"], k_max=7)["survives"]
    with pytest.raises(SecurityModelError, match="not a member"):
        k_group(h, 2.5, exclude=["XX"])
    with pytest.raises(SecurityModelError, match="benefit_cost"):
        k_group(h, 0.0)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.01, 100.0), min_size=2, max_size=12), st.floats(1.01, 20.0))
def test_k_group_is_the_smallest_group_covering_the_threshold(sizes: list[float],
                                                               rho: float) -> None:
    s = {f"M{i}": v for i, v in enumerate(sizes)}
    out = k_group(s, rho, k_max=len(sizes))
    sigma = np.sort(np.array(sizes) / sum(sizes))[::-1]
    assert out["k"] is not None  # rho > 1: everyone together covers the cost
    assert sigma[: out["k"]].sum() >= 1 / rho - 1e-9
    assert out["k"] == 1 or sigma[: out["k"] - 1].sum() < 1 / rho


def test_snidal_model_on_the_dataset() -> None:
    from worldorder.data import load_world

    w = load_world("world-2024")
    m = SnidalKGroup(benefit_cost=4.0, k_max=5)
    out = m.survives(w, "WHO", "USA")
    assert out["survives"] and out["group"][0] == "CHN"
    assert not SnidalKGroup(benefit_cost=1.1, k_max=3).survives(w, "WHO", "USA")["survives"]
    assert "snidal-k-group" in MODELS and m.references
    with pytest.raises(SecurityModelError, match="unknown parameter 'rho'"):
        SnidalKGroup(rho=2)
    with pytest.raises(SecurityModelError, match="unknown organisation 'XYZ'"):
        m.survives(w, "XYZ")


def test_multilateralism_and_order_index() -> None:
    member = np.array([[1, 1], [1, 0], [0, 0]])
    m, part = multilateralism(member, np.array([2.0, 1.0, 1.0]))
    assert part == pytest.approx([0.75, 0.5]) and m == pytest.approx(0.625)
    assert multilateralism(np.ones((3, 2)), np.ones(3))[0] == pytest.approx(1.0)
    comps = {"a": 0.5, "b": 1.0}
    assert order_index(comps, {"a": 1.0, "b": 3.0}) == pytest.approx(0.875)
    with pytest.raises(SecurityModelError, match="same components"):
        order_index(comps, {"a": 1.0})
    with pytest.raises(SecurityModelError, match="outside"):
        order_index({"a": 1.5}, {"a": 1.0})


def test_mfn_consistency_textbook_cases() -> None:
    X = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=float)
    t0 = np.full((3, 3), 0.05)
    np.fill_diagonal(t0, 0)
    mfn, pref = baseline_mfn(t0, X)
    assert mfn == pytest.approx([0.05] * 3) and not pref.any()
    assert mfn_consistency(t0, X, mfn) == pytest.approx(1.0)
    t = t0.copy()
    t[1, 0] = 0.25  # economy 0 surcharges economy 1: one flow of six discriminates
    assert mfn_consistency(t, X, mfn) == pytest.approx(5 / 6)
    t[1, 0] = 0.0   # a preference for 1 outside an agreement also discriminates...
    assert mfn_consistency(t, X, mfn) == pytest.approx(5 / 6)
    pref = np.zeros((3, 3), dtype=bool)
    pref[1, 0] = True  # ...but not under an agreement (GATT Art. XXIV)
    assert mfn_consistency(t, X, mfn, preferential=pref) == pytest.approx(1.0)
    with pytest.raises(SecurityModelError, match="must be"):
        mfn_consistency(t, X, mfn[:2])


def test_coercive_measures_ignore_uniform_increases() -> None:
    X = np.ones((3, 3)) - np.eye(3)
    t0 = np.zeros((3, 3))
    t = t0.copy()
    t[:, 0] = 0.1
    t[0, 0] = 0.0  # economy 0 raises 10% on everyone: protection, not coercion
    assert coercive_measures(t, t0, X, ["A", "B", "C"]).empty
    t[1, 0] = 0.3  # now it singles out B
    out = coercive_measures(t, t0, X, ["A", "B", "C"]).iloc[0]
    assert out["imposer"] == "A" and out["targets"] == 2 and out["trade_share"] == 1.0
    assert out["world_trade_share"] == pytest.approx(2 / 6)


@pytest.fixture(scope="module")
def order() -> pd.DataFrame:
    return RulesBasedOrder().compute(record("us-2025-26"))


def test_order_index_on_the_record(order: pd.DataFrame) -> None:
    comps = ["multilateralism", "mfn", "non_coercion", "institutions_intact"]
    assert order["date"].iloc[0] == "baseline"
    assert ((order[comps] >= 0) & (order[comps] <= 1)).all().all()
    assert order["index"].to_numpy() == pytest.approx(order[comps].mean(axis=1).to_numpy())
    by = order.set_index("date")
    assert by.loc["2025-12-04", "index"] < by.loc["baseline", "index"]
    # the WHO exit takes effect on 2026-01-22 (a date of its own), Paris on 2026-01-27
    assert by.loc["2026-01-22", "P_WHO"] < by.loc["2026-01-03", "P_WHO"]
    assert by.loc["2026-01-27", "P_PARIS"] < by.loc["2026-01-22", "P_PARIS"]
    assert by.loc["2026-01-22", "institutions_intact"] < 1.0
    assert "USA" in by.loc["2025-04-10", "coercive_imposers"]


def test_notice_can_count_as_exit() -> None:
    run = record("us-2025")
    strict = RulesBasedOrder().compute(run).set_index("date")
    early = RulesBasedOrder(notice_counts_as_exit=True).compute(run).set_index("date")
    assert strict.loc["2025-01-20", "P_WHO"] == strict.loc["baseline", "P_WHO"]
    assert early.loc["2025-01-20", "P_WHO"] < early.loc["baseline", "P_WHO"]
    assert early.loc["2025-12-04", "institutions_intact"] < 1.0
    assert early.loc["2025-12-04", "index"] < strict.loc["2025-12-04", "index"]
