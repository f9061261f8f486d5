"""Legitimacy: the update rule, its definition on the record, and its price in bargaining."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import bundled_record as record
from tests.builders import mini_world, one_aid_recipient, random_world
from worldorder.engine.layers.politics import ThreatRecord
from worldorder.errors import ScenarioError, SecurityModelError
from worldorder.scenarios.scenario import Scenario
from worldorder.security.alignment import aid_change
from worldorder.security.legitimacy import (
    Legitimacy,
    bargaining_weight,
    discrimination_burden,
    legitimacy_path,
)
from worldorder.strategy.bargaining import BargainError, bargain
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.params import resolve_params


def test_update_rule_closed_form() -> None:
    # constant pressure x from the start: l(d) = -x (1 - exp(-days/tau)) with days counted
    # from the day before the first date
    dates = ["2025-01-01", "2025-01-31", "2025-04-01"]
    p = pd.DataFrame({"date": dates, "economy": "A", "x": 0.5})
    out = legitimacy_path(p, tau_days=30.0)
    days = np.array([1, 31, 91])
    assert out["R"].to_numpy() == pytest.approx(np.exp(-0.5 * (1 - np.exp(-days / 30.0))))
    # no memory: R = exp(-x) at once
    assert legitimacy_path(p, tau_days=1e-9)["R"].to_numpy() == pytest.approx(math.exp(-0.5))
    with pytest.raises(SecurityModelError, match="tau_days"):
        legitimacy_path(p, tau_days=0.0)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.0, 5.0), min_size=1, max_size=8), st.floats(1.0, 400.0))
def test_legitimacy_stays_in_0_1_and_never_falls_below_exp_minus_max_pressure(
        xs: list[float], tau: float) -> None:
    dates = [f"2025-{m:02d}-01" for m in range(1, len(xs) + 1)]
    out = legitimacy_path(pd.DataFrame({"date": dates, "economy": "A", "x": xs}),
                          tau_days=tau)
    assert ((out["R"] > 0) & (out["R"] <= 1)).all()
    assert (out["R"] >= math.exp(-max(xs)) - 1e-12).all()


def test_discrimination_burden() -> None:
    X = np.array([[0, 10.0], [5.0, 0]])
    t0 = np.zeros((2, 2))
    t = np.array([[0, 0.0], [0.2, 0]])  # economy 0 (the power) taxes 1's exports 20%
    b = discrimination_burden(t, t0, X, np.array([100.0, 50.0]), 0)
    assert b == pytest.approx([0.0, 100 * 5 * 0.2 / 50])


def test_bargaining_weight_mapping() -> None:
    assert bargaining_weight(0.7, 1.0) == 0.7  # exactly unchanged
    assert bargaining_weight(0.7, 0.5) == pytest.approx(0.35 / (0.35 + 0.3))
    assert bargaining_weight(0.7, 0.5, 0.0) == 0.7
    assert bargaining_weight(0.7, 0.5) < bargaining_weight(0.7, 0.8) < 0.7
    with pytest.raises(BargainError, match="legitimacy"):
        bargaining_weight(0.7, 1.5)


def test_lower_legitimacy_makes_the_coercers_deal_worse() -> None:
    w = random_world(4, seed=3)
    params = resolve_params(w, "armington")
    kw = {"weight": 0.6, "upper": 0.6, "max_rounds": 40}

    def run(**extra: float):
        ev = Evaluator(w, params)
        return bargain(ev, "E00", "E01", ev.t0, 0.2, **kw, **extra)

    base, same, low = run(), run(legitimacy=1.0), run(legitimacy=0.3)
    assert same.deal == base.deal and same.weight_hegemon == base.weight_hegemon
    assert low.weight_hegemon < base.weight_hegemon
    assert low.deal.value_hegemon < base.deal.value_hegemon
    assert low.deal.value_partner > base.deal.value_partner
    # legitimacy prices the deal, not the war
    assert low.war.value_hegemon == pytest.approx(base.war.value_hegemon, rel=1e-6)


@pytest.fixture(scope="module")
def us2025():
    return record("us-2025")


def test_us_legitimacy_on_the_2025_record(us2025) -> None:
    leg = Legitimacy().compute(us2025, ["USA"])
    assert set(leg["power"]) == {"USA"} and "USA" not in set(leg["economy"])
    base = leg[leg["date"] == "baseline"]
    assert (base["R"] == 1.0).all()
    end = leg[leg["date"] == leg["date"].iloc[-1]].set_index("economy")
    assert ((end["R"] > 0) & (end["R"] < 1)).all()
    assert (end["exits"] == 4).all()  # WHO, Paris, UNHRC, UNESCO (notices)
    # Canada bears a larger discriminatory burden than France, and trusts the US less
    assert end.loc["CAN", "burden_pct_gdp"] > end.loc["FRA", "burden_pct_gdp"]
    assert end.loc["CAN", "R"] < end.loc["FRA", "R"]
    assert end.loc["IRN", "strikes"] == 1
    with pytest.raises(SecurityModelError, match="unknown economy 'XYZ'"):
        Legitimacy().compute(us2025, ["XYZ"])
    alt = Legitimacy(kappa=1.0).compute(us2025, ["USA"], alignment={"USA": {"CAN": 0.5}})
    can = alt[(alt["economy"] == "CAN") & (alt["date"] == "baseline")]
    assert can["L"].iloc[0] == pytest.approx(0.5)


def _threat(**kw: object) -> ThreatRecord:
    base = {"date": "2026-01-17", "by": "E00", "targets": ("E01", "E02"), "kind": "tariff",
            "rate": 0.10, "start": "2026-02-01", "escalate_to": 0.25,
            "escalate_on": "2026-06-01", "until": "", "credibility": 0.5}
    return ThreatRecord(**{**base, **kw})  # type: ignore[arg-type]


def test_threat_pressure_is_the_credibility_weighted_burden_of_the_rate_threatened() -> None:
    w = random_world(4, seed=5)
    m = Legitimacy(d_threat=1.0)
    t = w.tariffs
    _, _, _, x0 = m.pressure(w, t, [], "E00", "2026-01-20")
    for on, rate in (("2026-01-20", 0.10), ("2026-06-02", 0.25)):
        _, _, _, x = m.pressure(w, t, [], "E00", on, [_threat()])
        want = 0.3 * 0.5 * 100 * w.trade[[1, 2], 0] * rate / w.gdp[[1, 2]]
        assert (x - x0)[[1, 2]] == pytest.approx(want, rel=1e-12)
        assert (x - x0)[[0, 3]] == pytest.approx([0.0, 0.0])
    # dropped, or not yet made: no pressure; abandonment: c * q
    for th, on in ((_threat(until="2026-01-21"), "2026-01-22"), (_threat(), "2026-01-16")):
        assert m.pressure(w, t, [], "E00", on, [th])[3] == pytest.approx(x0)
    ab = _threat(kind="abandonment", rate=None, escalate_to=None, escalate_on="",
                 credibility=0.4)
    _, _, _, x = m.pressure(w, t, [], "E00", "2026-02-01", [ab])
    assert (x - x0)[[1, 2]] == pytest.approx([0.1 * 0.4] * 2)
    assert Legitimacy(d_threat=0.0).pressure(w, t, [], "E00", "2026-01-20",
                                             [_threat()])[3] == pytest.approx(x0)


def test_other_organisations_count_b_minor_each() -> None:
    w = random_world(3, seed=1)
    ev = [{"kind": "withdraw", "parties": ("E00",), "organization": o, "date": "2026-01-07"}
          for o in ("IPCC", "UNFCCC", "WHO")]
    m = Legitimacy(b=0.02, b_minor=0.005)
    _, exits, _, x = m.pressure(w, w.tariffs, ev, "E00", "2026-01-08")
    assert exits == 1                              # only the WHO is a global body
    assert x[1:] == pytest.approx([0.02 + 2 * 0.005] * 2)
    assert m.pressure(w, w.tariffs, ev, "E00", "2026-01-06")[3] == pytest.approx([0, 0, 0])


_CUT = {"donor": "USA", "share": 0.25, "recipients": "all", "kind": "cut"}


def test_withdrawn_aid_adds_a_times_the_cut_closed_form() -> None:
    w = mini_world()  # GDP in USD trillion; Mexico's 1.9, the only recipient of the table
    mex = w.index("MEX")
    aid = aid_change([_CUT], w, table=one_aid_recipient(), military={})
    cut = 100 * 0.25 * 2e9 / 1.9e12  # a quarter of USD 2 bn in % of Mexico's GDP
    assert aid[mex] == pytest.approx(-cut, rel=1e-12)
    m = Legitimacy()
    before = m.pressure(w, w.tariffs, [], "USA", "2025-06-01")[3]
    after = m.pressure(w, w.tariffs, [], "USA", "2025-06-01", (), aid)[3]
    expect = np.zeros(w.n)
    expect[mex] = m.params["a"] * cut  # counts like a duty's burden of the same size
    assert after - before == pytest.approx(expect, abs=1e-15)
    twice = Legitimacy(aid_weight=2.0).pressure(w, w.tariffs, [], "USA", "2025-06-01", (), aid)
    assert twice[3] - before == pytest.approx(2 * expect, abs=1e-15)
    # aid restored to the base year removes the added pressure; new aid earns no credit
    back = [_CUT, {**_CUT, "share": 1.0, "kind": "restore"}]
    give = [{**_CUT, "share": 0.5, "kind": "give"}]
    for recs in (back, give):
        a = aid_change(recs, w, table=one_aid_recipient(), military={})
        assert np.array_equal(m.pressure(w, w.tariffs, [], "USA", "2025-06-01", (), a)[3],
                              before)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.floats(-5.0, 5.0), min_size=4, max_size=4))
def test_aid_weight_zero_is_the_legitimacy_without_aid(seed: int, aid: list[float]) -> None:
    w = random_world(4, seed=seed % 50)
    rng = np.random.default_rng(seed)
    t = w.tariffs + rng.uniform(0.0, 0.3, w.tariffs.shape)
    ev = [{"kind": "withdraw", "parties": ["E00"], "organization": "WHO", "date": "2025-01-01"}]
    old = Legitimacy().pressure(w, t, ev, "E00", "2025-06-01")
    new = Legitimacy(aid_weight=0).pressure(w, t, ev, "E00", "2025-06-01", (), np.array(aid))
    for a, b in zip(old, new, strict=True):
        assert np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
    # with the weight on, only cuts count, each at a per % of GDP, never the power's own
    on = Legitimacy().pressure(w, t, ev, "E00", "2025-06-01", (), np.array(aid))[3]
    want = 0.3 * np.maximum(-np.array(aid), 0.0)
    want[0] = 0.0
    assert on - old[3] == pytest.approx(want, abs=1e-12)


def test_aid_weight_bad_input_is_one_line_naming_it() -> None:
    for bad in (-0.1, "high", float("nan"), True):
        with pytest.raises(SecurityModelError, match="'aid_weight'"):
            Legitimacy(aid_weight=bad)
    w = mini_world()
    with pytest.raises(SecurityModelError, match="aid change must be"):
        Legitimacy().pressure(w, w.tariffs, [], "USA", "2025-06-01", (), np.zeros(2))
    text = ("name: bad\ndataset: mini\nsteps:\n  - date: 2025-01-20\n    security_params: "
            "{model: legitimacy, params: {aid_weight: high}}\n")
    with pytest.raises(ScenarioError, match=r"line 5.*'aid_weight' = 'high'"):
        Scenario.from_text(text)


def test_the_2025_aid_cuts_cost_us_legitimacy_where_aid_matters(us2025) -> None:
    leg = Legitimacy().compute(us2025, ["USA"])
    off = Legitimacy(aid_weight=0).compute(us2025, ["USA"])
    end = leg["date"] == leg["date"].iloc[-1]
    a = Legitimacy().params["a"]
    al = us2025.tables["alignment"]
    aid = al[al["date"] == al["date"].max()].set_index("economy")["aid_us"]
    x, x0 = (d[end].set_index("economy")["x"] for d in (leg, off))
    # on the last date the added pressure is a times the cut the alignment layer records
    assert (x - x0).to_numpy() == pytest.approx(
        a * np.maximum(-aid.reindex(x.index).to_numpy(), 0.0), abs=1e-12)
    r, r0 = (d[end].set_index("economy")["R"] for d in (leg, off))
    assert r.loc["NGA"] < r0.loc["NGA"] and r.loc["UKR"] < r0.loc["UKR"]
    assert (r <= r0 + 1e-15).all()
