"""Coalitions against a hegemon: tariffs, values, tables, stability, determinism, the action."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from tests.builders import mini_world, random_world, sim_at
from worldorder.engine import TradeState
from worldorder.errors import WorldorderError
from worldorder.executor import SerialExecutor
from worldorder.progress import reporting
from worldorder.scenarios import ACTIONS
from worldorder.strategy.coalition_games import GameError, core_nonempty, shapley
from worldorder.strategy.coalitions import (
    CoalitionError,
    CoalitionTable,
    coalition_outcomes,
    coalition_tariffs,
    coalition_value,
    optimal_common_rate,
    resolve_players,
    stability,
    stable_coalitions,
)
from worldorder.trade.evaluator import Evaluator
from worldorder.trade.instruments import apply_change, tariff_change
from worldorder.trade.params import resolve_params

CANDS = ["E01", "E02", "E03", "E04", "E05"]
H = "E00"


def _setup(seed: int, *, n: int = 6, tariff: float = 0.15, rate: float = 0.3):
    w = random_world(n, seed=seed, tariff=tariff)
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    t = apply_change(w.tariffs, w.tariffs, tariff_change(w, H, rate=rate))
    return w, ev, t


@pytest.fixture(scope="module")
def optimal_case():
    w, ev, t = _setup(2)
    return w, t, coalition_outcomes(ev, CANDS, H, t, response="optimal", workers=1)


@pytest.fixture(scope="module")
def none_case():
    w, ev, t = _setup(4)
    return w, t, coalition_outcomes(ev, CANDS, H, t, response="none", workers=1)


def identical(a: CoalitionTable, b: CoalitionTable) -> bool:
    return (np.array_equal(a.masks, b.masks) and np.array_equal(a.welfare, b.welfare)
            and np.array_equal(a.rates, b.rates, equal_nan=True)
            and np.array_equal(a.status_quo, b.status_quo)
            and np.array_equal(a.dev_keys, b.dev_keys)
            and np.array_equal(a.dev_welfare, b.dev_welfare))


# ------------------------------------------------------------------ tariff matrices


def test_coalition_tariffs_free_trade_inside_and_each_response() -> None:
    n = 5
    rng = np.random.default_rng(0)
    t0 = np.where(np.eye(n, dtype=bool), 0.0, rng.uniform(0.01, 0.05, (n, n)))
    t = t0.copy()
    t[1:, 0] += np.array([0.2, 0.0, 0.3, 0.1])     # hegemon 0 charges surcharges
    members, heg = [1, 2, 3], [0]
    opt = coalition_tariffs(t, t0, members, heg, response="optimal", rate=0.17)
    assert np.all(opt[np.ix_(members, members)] == 0.0)
    assert np.all(opt[0, members] == 0.17)
    untouched = np.ones((n, n), dtype=bool)
    untouched[np.ix_(members, members)] = False
    untouched[0, members] = False
    assert np.array_equal(opt[untouched], t[untouched])
    mir = coalition_tariffs(t, t0, members, heg, response="mirror")
    assert mir[0, 1] == pytest.approx(t0[0, 1] + 0.2)
    assert mir[0, 2] == t[0, 2]                     # no surcharge on 2: nothing to mirror
    assert mir[0, 3] == pytest.approx(t0[0, 3] + 0.3)
    assert mir[0, 4] == t[0, 4]                     # non-member
    non = coalition_tariffs(t, t0, members, heg, response="none")
    assert np.array_equal(non[0], t[0]) and np.all(non[np.ix_(members, members)] == 0.0)
    keep = coalition_tariffs(t, t0, members, heg, response="none", internal="keep")
    assert np.array_equal(keep, t)
    with pytest.raises(CoalitionError, match="finite rate"):
        coalition_tariffs(t, t0, members, heg, response="optimal")


# ------------------------------------------------------------------ one coalition


def test_singleton_outcome_equals_a_direct_solve(optimal_case, none_case) -> None:
    w, t, tab = optimal_case
    h, e = w.index(H), w.index("E03")
    fresh = Evaluator(w, resolve_params(w, "ignatenko2025"))
    rate = float(tab.rates[tab.row(["E03"])])
    direct_t = t.copy()
    direct_t[h, e] = rate                            # E03 alone: its rate on the hegemon
    direct = fresh.welfare(direct_t)
    assert np.allclose(tab.welfare[tab.row("E03")], direct, rtol=0, atol=1e-9)
    assert np.array_equal(tab.tariffs("E03"), direct_t)
    rs = optimal_common_rate(fresh, t, [e], [h])
    assert rs.rate == pytest.approx(rate, abs=1e-4)
    assert tab.value("E03") == pytest.approx(tab.weights[e] * (direct[e] - 1.0), rel=1e-8)
    # the optimum beats nearby rates
    for r in (rate - 0.01, rate + 0.01):
        near = direct_t.copy()
        near[h, e] = r
        assert fresh.welfare(near)[e] <= direct[e] + 1e-12
    # with response none a singleton changes nothing: the status quo
    w2, t2, tab2 = none_case
    one = tab2.welfare[tab2.row("E01")]
    assert np.allclose(one, Evaluator(w2, resolve_params(w2, "ignatenko2025")).welfare(t2),
                       atol=1e-9)
    assert tab2.game("status_quo")[frozenset({"E01"})] == pytest.approx(0.0, abs=1e-9)


def test_grand_coalition_trades_freely_inside(optimal_case) -> None:
    w, t, tab = optimal_case
    grand = tab.tariffs(CANDS)
    idx = [w.index(c) for c in CANDS]
    h = w.index(H)
    assert np.all(grand[np.ix_(idx, idx)] == 0.0)
    assert np.any(t[np.ix_(idx, idx)] > 0.0)           # there were tariffs to remove
    rate = tab.rates[tab.row(CANDS)]
    assert np.all(grand[h, idx] == rate) and 0.0 <= rate <= 1.0
    assert np.array_equal(grand[idx, h], t[idx, h])    # the hegemon's tariffs stand
    fresh = Evaluator(w, resolve_params(w, "ignatenko2025"))
    assert np.allclose(fresh.welfare(grand), tab.welfare[tab.row(CANDS)], atol=1e-9)


def test_values_and_welfare_are_consistent(optimal_case) -> None:
    w, _, tab = optimal_case
    assert tab.value([]) == 0.0
    E = tab.weights
    for m in tab.masks:
        names = tab.names(int(m))
        idx = [w.index(c) for c in names]
        W = tab.welfare[tab.row(int(m))]
        assert tab.value(names) == pytest.approx(float(E[idx] @ (W[idx] - 1.0)))
        pct = tab.welfare_pct(names)
        assert set(pct) == set(names)
        for c in names:
            assert pct[c] == pytest.approx(100 * (W[w.index(c)] - 1.0))
    df = tab.frame()
    assert len(df) == 2 ** len(CANDS) - 1 and tab.exhaustive and tab.method == "exhaustive"
    assert df["surplus"][df["size"] == 1].abs().max() < 1e-12
    assert list(df["size"]) == sorted(df["size"])
    game = tab.game()
    assert len(game) == 2 ** len(CANDS) and game[frozenset()] == 0.0
    phi = shapley(game, tab.players)
    assert sum(phi.values()) == pytest.approx(tab.value(CANDS))
    ok, x = core_nonempty(game, tab.players)
    assert ok == (x is not None)


def test_a_group_acts_as_one_player() -> None:
    w = mini_world()
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    t = apply_change(w.tariffs, w.tariffs, tariff_change(w, "USA", rate=0.2))
    out = coalition_value(ev, ["EU", "JPN"], "USA", t, response="optimal")
    usa = w.index("USA")
    idx = [w.index(c) for c in ("DEU", "FRA", "JPN")]
    assert np.all(out.tariffs[usa, idx] == out.rate)
    assert np.all(out.tariffs[np.ix_(idx, idx)] == 0.0)
    assert set(out.welfare_pct) == {"EU", "JPN"}
    E, W = ev.baseline.E, out.welfare
    eu = [w.index("DEU"), w.index("FRA")]
    assert out.welfare_pct["EU"] == pytest.approx(100 * E[eu] @ (W[eu] - 1) / E[eu].sum())
    assert out.value == pytest.approx(float(E[idx] @ (W[idx] - 1)))
    assert list(out.frame()["member"]) == ["EU", "JPN"]


# ------------------------------------------------------------------ stability


def _brute_stability(w, t, tab: CoalitionTable) -> dict[frozenset, tuple[bool, bool]]:
    """Internal and external stability by direct enumeration and fresh solves."""
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    E = tab.weights
    h = [w.index(H)]
    pos = {c: w.index(c) for c in CANDS}

    def rate(s):
        r = tab.rates[tab.row(sorted(s))]
        return None if math.isnan(r) else float(r)

    def welfare_in(s):                                 # s forms, the rest passive
        return ev.welfare(coalition_tariffs(t, w.tariffs, [pos[c] for c in s], h,
                                            response=tab.response, rate=rate(s)))

    def welfare_dev(s, i):                             # s∖{i} forms, i acts alone
        rest = s - {i}
        t1 = coalition_tariffs(t, w.tariffs, [pos[c] for c in rest], h,
                               response=tab.response, rate=rate(rest))
        t1 = coalition_tariffs(t1, w.tariffs, [pos[i]], h, response=tab.response,
                               rate=rate({i}))
        return ev.welfare(t1)

    def gain(W, c):
        return E[pos[c]] * (W[pos[c]] - 1.0)

    tol = 1e-9
    out = {}
    coalitions = [frozenset(c) for r in range(1, 6) for c in itertools.combinations(CANDS, r)]
    for s in coalitions:
        Ws = welfare_in(s)
        internal = all(gain(welfare_dev(s, i), i) <= gain(Ws, i) + tol * E[pos[i]]
                       for i in s) if len(s) > 1 else True
        external = True
        for j in set(CANDS) - s:
            big = s | {j}
            Wb, Wd = welfare_in(big), welfare_dev(big, j)
            if gain(Wb, j) > gain(Wd, j) + tol * E[pos[j]] and all(
                    gain(Wb, k) >= gain(Wd, k) - tol * E[pos[k]] for k in s):
                external = False
        out[s] = (internal, external)
    return out


@pytest.mark.parametrize("case", ["optimal_case", "none_case"])
def test_stability_matches_brute_force_enumeration(case: str, request) -> None:
    w, t, tab = request.getfixturevalue(case)
    brute = _brute_stability(w, t, tab)
    st = stability(tab)
    assert len(st) == len(brute)
    for _, row in st.iterrows():
        s = frozenset(tab.names(int(row["mask"])))
        assert (row["internal"], row["external"]) == brute[s], row["coalition"]
        assert row["stable"] == (brute[s][0] and brute[s][1])
    # the worlds are chosen so that the test sees both outcomes of both conditions
    big = st[st["size"] >= 2]
    assert big["internal"].any() and not big["internal"].all()
    assert not st["external"].all()
    stable = stable_coalitions(tab, min_size=2)
    assert stable and all(brute[frozenset(s)] == (True, True) for s in stable)
    singles = [s for s in stable_coalitions(tab) if len(s) == 1]
    assert singles == [(c,) for c in CANDS if brute[frozenset({c})][1]]


# ------------------------------------------------------------------ determinism, heuristic


def test_one_and_two_workers_give_bit_identical_tables() -> None:
    w, ev, t = _setup(2)
    one = coalition_outcomes(ev, CANDS[:4], H, t, response="optimal", workers=1, chunk=3)
    ev2 = Evaluator(w, resolve_params(w, "ignatenko2025"))
    ev2.welfare(t * 1.7)                               # a different warm-start history
    two = coalition_outcomes(ev2, CANDS[:4], H, t, response="optimal", workers=2, chunk=3)
    assert identical(one, two)
    assert one.solves == two.solves and two.workers == 2
    again = coalition_outcomes(ev, CANDS[:4], H, t, response="optimal", workers=1, chunk=3)
    assert identical(one, again)
    mirror1 = coalition_outcomes(ev, CANDS, H, t, response="mirror", workers=1, chunk=4)
    mirror2 = coalition_outcomes(ev2, CANDS, H, t, response="mirror", workers=2, chunk=4)
    assert identical(mirror1, mirror2)


def test_above_max_exact_the_heuristic_is_flagged() -> None:
    n = 14
    w = random_world(n, seed=9)
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    t = apply_change(w.tariffs, w.tariffs, tariff_change(w, H, rate=0.25))
    cands = [f"E{k:02d}" for k in range(1, n)]          # 13 candidates > 12
    tab = coalition_outcomes(ev, cands, H, t, response="none", workers=1)
    assert not tab.exhaustive and tab.method.startswith("heuristic")
    m = len(cands)
    assert len(tab.masks) < 2 ** m - 1
    assert all(c in tab for k in (1, 2, 3) for c in itertools.combinations(cands, k))
    assert cands in tab and all([c for c in cands if c != x] in tab for x in cands)
    assert sorted(tab.greedy) == sorted(cands)
    path = [tab.greedy[:k] for k in range(2, m + 1)]
    assert all(p in tab for p in path)                  # the greedy chain was evaluated
    assert tab.surplus(tab.greedy[:2]) == max(tab.surplus(c)
                                              for c in itertools.combinations(cands, 2))
    st = stability(tab)
    assert st["stable"].isna().any()                    # unknown where neighbours are missing
    assert st.loc[st["size"] == 2, "internal"].notna().all()
    with pytest.raises(CoalitionError, match="not in the table"):
        tab.value(cands[:6] if cands[:6] not in tab else cands[1:7])
    with pytest.raises(GameError, match="no worth"):
        shapley(tab.game(), tab.players)
    small = coalition_outcomes(ev, cands[:5], H, t, response="none", workers=1, max_exact=4,
                               deviations=False)
    assert not small.exhaustive and len(small.dev_keys) == 0


# ------------------------------------------------------------------ errors


def test_input_errors_are_one_line() -> None:
    w = mini_world()
    ev = Evaluator(w, resolve_params(w, "ignatenko2025"))
    cases = [
        (["JPN", "XYZ"], "USA", {}, "unknown economy or group 'XYZ'"),
        (["JPN", "CAN"], "ABC", {}, "unknown economy or group 'ABC'"),
        (["JPN", "USA"], "USA", {}, "the hegemon USA cannot be a candidate"),
        (["EU", "FRA"], "USA", {}, "share the economy FRA"),
        (["JPN", "JPN"], "USA", {}, "listed twice"),
        ([], "USA", {}, "at least one candidate"),
        (["JPN"], "USA", {"response": "revenge"}, "unknown response 'revenge'"),
        (["JPN"], "USA", {"internal": "customs"}, "unknown internal rule"),
        (["JPN"], "USA", {"workers": 0}, "workers must be at least 1"),
    ]
    for cands, heg, kw, msg in cases:
        with pytest.raises(CoalitionError, match=msg) as exc:
            coalition_outcomes(ev, cands, heg, **kw)
        assert isinstance(exc.value, WorldorderError) and isinstance(exc.value, ValueError)
        assert "\n" not in str(exc.value)
    with pytest.raises(CoalitionError, match="hegemon"):
        coalition_value(ev, ["CAN", "USA"], "USA")
    with pytest.raises(CoalitionError, match="not a candidate"):
        coalition_outcomes(ev, ["JPN", "CAN"], "USA", response="none").value(["MEX"])
    assert resolve_players(w, "EU", "USA").members == ((w.index("DEU"), w.index("FRA")),)


# ------------------------------------------------------------------ the scenario step


def test_coalition_action_sets_tariffs_and_notes_the_rate() -> None:
    w = mini_world()
    sim = sim_at(w, "undated")
    tr = sim.get(TradeState)
    ACTIONS["tariff"].model_validate({"by": "USA", "rate": 0.25}).apply(sim)
    before = tr.t.copy()
    act = ACTIONS["coalition"].model_validate({"members": ["EU", "CAN", "JPN"],
                                               "against": "USA"})
    assert act.classifier == {"layer": "strategy", "priced": True, "strategic": True}
    act.apply(sim)
    idx = [w.index(c) for c in ("CAN", "DEU", "FRA", "JPN")]
    usa = w.index("USA")
    assert np.all(tr.t[np.ix_(idx, idx)] == 0.0)
    note = sim.notes["coalition_EU+CAN+JPN"]
    rate = note["common_rate"].iloc[0]
    assert np.all(tr.t[usa, idx] == rate) and np.all(note["rate"] == rate)
    assert list(note["member"]) == ["EU", "CAN", "JPN"]
    others = [k for k in range(w.n) if k not in idx]
    assert np.array_equal(tr.t[np.ix_(range(w.n), others)],
                          before[np.ix_(range(w.n), others)])
    assert "EU, CAN, JPN against USA" in act.describe()
    assert [n for _, n in act.names_used()] == ["EU", "CAN", "JPN", "USA"]
    act.apply(sim)
    assert "coalition_EU+CAN+JPN_2" in sim.notes
    mirror = ACTIONS["coalition"].model_validate({"members": ["MEX"], "response": "mirror",
                                                  "internal": "keep"})
    mirror.apply(sim)
    assert tr.t[usa, w.index("MEX")] == pytest.approx(tr.t0[usa, w.index("MEX")] + 0.25)


def test_coalition_step_in_a_dated_scenario(tmp_path: Path, mini_dataset: Path) -> None:
    from worldorder.scenarios.timeline import simulate_timeline

    f = tmp_path / "s.yaml"
    f.write_text(
        f"name: coalition-test\ndataset: {mini_dataset}\nsteps:\n"
        "  - date: 2025-04-02\n    tariff: {by: USA, rate: 0.2}\n"
        "  - date: 2026-02-01\n    coalition: {members: [EU, CAN, JPN], against: USA, "
        "response: optimal, internal: free_trade}\n")
    r = simulate_timeline(f)
    assert r.dates == ["2025-04-02", "2026-02-01"]
    notes = r.results["2026-02-01"].notes
    assert "coalition_EU+CAN+JPN_2026-02-01" in notes
    assert list(r.timeline["action"]) == ["tariff", "coalition"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"name: b\ndataset: {mini_dataset}\nsteps:\n"
                   "  - date: 2026-02-01\n    coalition: {members: [JPN, XYZ]}\n")
    with pytest.raises(WorldorderError, match="XYZ") as exc:
        simulate_timeline(bad)
    assert "\n" not in str(exc.value)


# ------------------------------------------------------------------ the execution seam


class CountingExecutor(SerialExecutor):
    """A serial executor that records the chunks it is given (a stand-in for a plug-in)."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def map(self, fn, items):  # type: ignore[no-untyped-def]
        items = list(items)
        self.calls.append(len(items))
        return super().map(fn, items)


def test_a_given_executor_runs_the_chunks_and_the_table_does_not_change() -> None:
    _, ev, t = _setup(2)
    ref = coalition_outcomes(ev, CANDS[:4], H, t, response="mirror", workers=1, chunk=3)
    ex = CountingExecutor()
    tab = coalition_outcomes(ev, CANDS[:4], H, t, response="mirror", chunk=3, executor=ex)
    assert identical(ref, tab) and tab.workers == 1
    # 15 coalitions, then 4 · 2^3 − 4 = 28 deviations, in chunks of 3 (5 and 10 chunks), given
    # one at a time to a one-worker executor (progress is reported after each)
    assert ex.calls == [1] * 15


# ------------------------------------------------------------------ progress inside the table


def test_chunks_report_progress_that_moves_and_workers_do_not_change_the_table() -> None:
    _, ev, t = _setup(2)
    heard: list[str] = []
    with reporting(heard.append):
        tab = coalition_outcomes(ev, CANDS[:4], H, t, response="optimal", workers=1, chunk=3)
    chunks = [m for m in heard if m.startswith("coalitions: chunk ")]
    # 15 coalitions in chunks of 3: one report per chunk, counting up to 5 of 5
    assert [m.split(",")[0] for m in chunks] == [f"coalitions: chunk {k}/5" for k in range(1, 6)]
    solves = [int(m.split(", ")[1].split()[0].replace(",", "")) for m in chunks]
    assert solves == sorted(solves) and solves[0] > 0
    devs = [m for m in heard if m.startswith("stability: chunk ")]
    assert devs and devs[-1].startswith(f"stability: chunk {len(devs)}/{len(devs)},")
    assert devs[-1].endswith(f" {tab.solves - 1:,} solves")  # all but the status quo's
    # batches of chunks for several workers: fewer reports, the same table
    heard2: list[str] = []
    with reporting(heard2.append):
        two = coalition_outcomes(ev, CANDS[:4], H, t, response="optimal",
                                 executor=CountingExecutor(), chunk=3)
    assert identical(tab, two)
    assert heard2 == heard  # a one-worker executor: one chunk per report
