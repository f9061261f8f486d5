"""Legitimacy in coalition values: μ = θ(1 − R^η), the closed form, the identity at R = 1,
monotonicity in R, the table and the ``coalition`` step."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import mini_world, random_world, sim_at
from worldorder.engine import PoliticalState, TradeState
from worldorder.errors import ScenarioError
from worldorder.scenarios import ACTIONS
from worldorder.strategy.coalition_legitimacy import (
    balancing_weights,
    hegemon_change,
    member_gains,
)
from worldorder.strategy.coalitions import (
    CoalitionError,
    coalition_outcomes,
    coalition_value,
    optimal_common_rate,
    stability,
)
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.instruments import apply_change, tariff_change
from worldorder.trade.params import resolve_params

# ---------------------------------------------------------------- the weights


def test_weights_are_theta_one_minus_r_to_the_eta_and_zero_for_the_hegemon() -> None:
    w = mini_world()
    heg = [w.index("USA")]
    mu = balancing_weights(w, {"EU": 0.5, "FRA": 0.9, "CAN": 1.0, "USA": 0.1}, heg,
                           theta=2.0, eta=2.0)
    assert mu is not None
    assert mu[w.index("DEU")] == pytest.approx(2.0 * (1 - 0.25))   # the group's R
    assert mu[w.index("FRA")] == pytest.approx(2.0 * (1 - 0.81))   # its own R overrides
    assert mu[w.index("CAN")] == 0.0 and mu[w.index("USA")] == 0.0
    assert mu[w.index("JPN")] == 0.0                                 # no figure: R = 1


def test_weights_vanish_at_full_legitimacy_or_zero_theta_or_eta() -> None:
    w = mini_world()
    heg = [w.index("USA")]
    assert balancing_weights(w, {"EU": 1.0, "JPN": 1.0}, heg) is None
    assert balancing_weights(w, {"EU": 0.5}, heg, theta=0.0) is None
    assert balancing_weights(w, {"EU": 0.5}, heg, eta=0.0) is None
    assert balancing_weights(w, None, heg) is None


@pytest.mark.parametrize(("leg", "kw", "needle"), [
    ({"XXX": 0.5}, {}, "XXX"), ({"EU": 0.0}, {}, "(0, 1]"), ({"EU": 1.2}, {}, "(0, 1]"),
    ({"EU": 0.5}, {"theta": -1.0}, "theta"), ({"EU": 0.5}, {"eta": float("nan")}, "eta")])
def test_bad_weights_are_refused_with_a_clear_message(leg, kw, needle) -> None:
    w = mini_world()
    with pytest.raises(CoalitionError, match=needle.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("]", r"\]")):
        balancing_weights(w, leg, [w.index("USA")], **kw)


def test_member_gains_equal_own_gain_minus_mu_times_the_hegemons_relative_change() -> None:
    rng = np.random.default_rng(3)
    W = 1 + rng.normal(0, 0.01, (4, 6))
    E = rng.uniform(1, 5, 6)
    mu = rng.uniform(0, 1, 6)
    H = [0, 1]
    g_h = ((W[:, H] - 1) @ E[H]) / E[H].sum()
    want = (W - 1) * E - mu * E * g_h[:, None]
    np.testing.assert_allclose(member_gains(W, E, mu, H), want, rtol=1e-13)
    np.testing.assert_allclose(hegemon_change(W, E, H), g_h, rtol=1e-13)
    assert np.array_equal(member_gains(W, E, None, H), (W - 1) * E)


# ---------------------------------------------------------------- closed form


@dataclass
class _Baseline:
    E: np.ndarray


class QuadraticEvaluator:
    """Ŵ_i(τ) = 1 + a_i τ − b_i τ² for the members, Ŵ_H(τ) = 1 − c τ for the hegemon (economy
    0), τ the rate members charge on the hegemon: the legitimacy-weighted worth
    Σ E_i (a_i τ − b_i τ²) + c τ Σ μ_i E_i peaks at τ* = (Σ a_i E_i + c Σ μ_i E_i) /
    (2 Σ b_i E_i)."""

    def __init__(self, a: np.ndarray, b: np.ndarray, c: float, E: np.ndarray) -> None:
        self.a, self.b, self.c = a, b, c
        self.baseline = _Baseline(E)
        self.t0 = np.zeros((len(E), len(E)))
        self.solves = 0

    def welfare(self, t: np.ndarray, dhat: np.ndarray | None = None) -> np.ndarray:
        self.solves += 1
        tau = float(t[0, 1])
        W = 1 + self.a * tau - self.b * tau ** 2
        W[0] = 1 - self.c * tau
        return W

    def valid_welfare(self, t: np.ndarray, dhat: np.ndarray | None = None) -> np.ndarray:
        """Every rate has a valid equilibrium here (``Evaluator.valid_welfare``)."""
        return self.welfare(t, dhat)


@settings(max_examples=25, deadline=None)
@given(r1=st.floats(0.05, 1.0), r2=st.floats(0.05, 1.0), theta=st.floats(0.0, 2.0),
       c=st.floats(0.01, 0.2))
def test_the_optimal_rate_and_worth_match_the_closed_form(r1, r2, theta, c) -> None:
    E = np.array([10.0, 3.0, 2.0])
    a, b = np.array([0.0, 0.02, 0.01]), np.array([0.0, 0.2, 0.15])
    ev = QuadraticEvaluator(a, b, c, E)
    mu = np.array([0.0, theta * (1 - r1), theta * (1 - r2)])
    rs = optimal_common_rate(ev, ev.t0, [1, 2], [0], balancing=mu, xatol=1e-9,  # type: ignore[arg-type]
                             upper=3.0)
    M = float(mu @ E)
    want = (a @ E + c * M) / (2 * b @ E)
    assert rs.rate == pytest.approx(want, abs=1e-6)
    worth = float(E[1:] @ (a[1:] * want - b[1:] * want ** 2) + c * want * M)
    assert rs.value == pytest.approx(worth, rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------- on the trade model


@pytest.fixture(scope="module")
def war():
    w = random_world(6, seed=2, tariff=0.15)
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    t = apply_change(w.tariffs, w.tariffs, tariff_change(w, "E00", rate=0.3))
    return w, ev, t


def test_full_legitimacy_gives_exactly_the_plain_coalition(war) -> None:
    w, ev, t = war
    members = ["E01", "E02", "E03"]
    mu = balancing_weights(w, dict.fromkeys(members, 1.0), [0])
    assert mu is None
    ev.reset()  # the same cold start for both (warm starts move the last digits)
    plain = coalition_value(ev, members, "E00", t)
    ev.reset()
    same = coalition_value(ev, members, "E00", t, balancing=mu)
    assert plain.rate == same.rate and plain.value == same.value
    assert np.array_equal(plain.tariffs, same.tariffs)


def test_lower_legitimacy_raises_the_rate_and_costs_the_hegemon_more(war) -> None:
    w, ev, t = war
    members = ["E01", "E02", "E03"]
    rates, hegemon = [], []
    for r in (1.0, 0.8, 0.5, 0.2):
        mu = balancing_weights(w, dict.fromkeys(members, r), [0])
        out = coalition_value(ev, members, "E00", t, balancing=mu, xatol=1e-7)
        rates.append(out.rate)
        hegemon.append(out.welfare[0])
    assert all(b >= a - 1e-6 for a, b in itertools.pairwise(rates))
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(hegemon))
    assert rates[-1] > rates[0] + 1e-3 and hegemon[-1] < hegemon[0]


def test_the_table_uses_the_weighted_worth_and_keeps_own_welfare(war) -> None:
    w, ev, t = war
    cands = ["E01", "E02", "E03"]
    mu = balancing_weights(w, {"E01": 0.4, "E02": 0.6, "E03": 0.9}, [0])
    tab = coalition_outcomes(ev, cands, "E00", t, workers=1, balancing=mu)
    plain = coalition_outcomes(ev, cands, "E00", t, workers=1)
    one = coalition_value(ev, cands, "E00", t, balancing=mu)
    assert tab.value(cands) == pytest.approx(one.value, rel=1e-9)
    assert tab.rates[-1] == pytest.approx(one.rate, abs=1e-4)
    full = tab.row(cands)
    g_h = hegemon_change(tab.welfare[full], tab.weights, [0])
    own = (tab.welfare[full] - 1) * tab.weights
    want = sum(own[i] - mu[i] * tab.weights[i] * g_h for i in (1, 2, 3))
    assert tab.value(cands) == pytest.approx(want, rel=1e-12)
    pct = tab.welfare_pct(cands)
    assert pct["E01"] == pytest.approx(100 * (tab.welfare[full, 1] - 1), rel=1e-12)
    assert stability(tab).shape[0] == stability(plain).shape[0] == 7
    assert tab.rates[-1] >= plain.rates[-1] - 1e-6


# ---------------------------------------------------------------- the step


def test_the_step_at_r_equal_one_is_exactly_the_step_without_legitimacy() -> None:
    runs = []
    for leg in ("none", {"EU": 1.0, "CAN": 1.0}, "state"):
        sim = sim_at(mini_world())
        ACTIONS["coalition"].model_validate({"members": ["EU", "CAN"], "against": "USA",
                                             "legitimacy": leg}).apply(sim)
        runs.append(sim.get(TradeState).t.copy())
    assert np.array_equal(runs[0], runs[1]) and np.array_equal(runs[0], runs[2])


def test_the_step_reads_the_published_legitimacy() -> None:
    sim = sim_at(mini_world())
    ACTIONS["coalition"].model_validate({"members": ["EU", "CAN"]}).apply(sim)
    plain = sim.get(TradeState).t.copy()
    sim = sim_at(mini_world())
    pol = sim.get(PoliticalState)
    pol.legitimacy["USA"] = {c: 0.3 for c in sim.world.codes if c != "USA"}
    ACTIONS["coalition"].model_validate({"members": ["EU", "CAN"],
                                         "legitimacy": "state"}).apply(sim)
    w = sim.world
    u, c = w.index("USA"), w.index("CAN")
    assert sim.get(TradeState).t[u, c] > plain[u, c]
    note = next(v for k, v in sim.notes.items() if k.startswith("coalition"))
    assert note["balancing_weight"].tolist() == pytest.approx([0.7, 0.7])


def test_state_without_the_order_layer_says_what_to_do() -> None:
    sim = sim_at(mini_world())
    sim.get(PoliticalState).legitimacy.clear()
    act = ACTIONS["coalition"].model_validate({"members": ["EU"], "legitimacy": "state"})
    with pytest.raises(ScenarioError, match="layer 'order'"):
        act.apply(sim)
    bad = ACTIONS["coalition"].model_validate({"members": ["EU"], "legitimacy": {"EU": 2.0}})
    with pytest.raises(ScenarioError, match=r"\(0, 1\]"):
        bad.apply(sim_at(mini_world()))
