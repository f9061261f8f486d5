"""TU-game tools against textbook cases: core (LP), least core, Shapley value."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from worldorder.errors import WorldorderError
from worldorder.strategy.coalition_games import (
    GameError,
    core_nonempty,
    game_vector,
    is_convex,
    is_superadditive,
    least_core,
    shapley,
)


def subsets(players):
    for r in range(len(players) + 1):
        for c in itertools.combinations(players, r):
            yield frozenset(c)


def table(players, f):
    return {s: float(f(s)) for s in subsets(players)}


def in_core(v, players, x, tol=1e-7):
    if abs(sum(x.values()) - v[frozenset(players)]) > tol:
        return False
    return all(sum(x[p] for p in s) >= v[s] - tol for s in subsets(players) if s)


def brute_shapley(v, players):
    """Average marginal contribution over all orderings (the definition)."""
    out = dict.fromkeys(players, 0.0)
    perms = list(itertools.permutations(players))
    for order in perms:
        before: frozenset[str] = frozenset()
        for p in order:
            out[p] += v[before | {p}] - v[before]
            before = before | {p}
    return {p: out[p] / len(perms) for p in players}


def random_game(players, seed):
    rng = np.random.default_rng(seed)
    return {s: (0.0 if not s else float(rng.normal(len(s), 1.0))) for s in subsets(players)}


def test_glove_game_core_is_the_scarce_side_and_shapley_is_textbook() -> None:
    # two left gloves (L1, L2), one right glove (R): a pair is worth 1
    players = ["L1", "L2", "R"]
    v = table(players, lambda s: min(len(s & {"L1", "L2"}), len(s & {"R"})))
    ok, x = core_nonempty(v, players)
    assert ok and x is not None
    assert x["R"] == pytest.approx(1.0) and x["L1"] == pytest.approx(0.0, abs=1e-9)
    phi = shapley(v, players)
    assert phi == pytest.approx({"L1": 1 / 6, "L2": 1 / 6, "R": 2 / 3})
    assert not is_convex(v, players)


def test_majority_game_has_an_empty_core_and_least_core_one_third() -> None:
    players = ["A", "B", "C"]
    v = table(players, lambda s: 1.0 if len(s) >= 2 else 0.0)
    ok, x = core_nonempty(v, players)
    assert not ok and x is None
    eps, alloc = least_core(v, players)
    assert eps == pytest.approx(1 / 3)
    assert alloc == pytest.approx({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3})
    assert shapley(v, players) == pytest.approx({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3})
    assert is_superadditive(v, players)


def test_convex_games_have_the_shapley_value_in_the_core() -> None:
    players = ["a", "b", "c", "d", "e"]
    w = {"a": 1.0, "b": 2.0, "c": 0.5, "d": 3.0, "e": 1.5}
    v = table(players, lambda s: sum(w[p] for p in s) ** 2)  # supermodular
    assert is_convex(v, players) and is_superadditive(v, players)
    phi = shapley(v, players)
    assert in_core(v, players, phi)
    ok, x = core_nonempty(v, players)
    assert ok and in_core(v, players, x)
    eps, _ = least_core(v, players)
    assert eps < 0


def test_symmetric_game_gives_equal_shares() -> None:
    players = ["p1", "p2", "p3", "p4"]
    v = table(players, lambda s: math.sqrt(len(s)))
    phi = shapley(v, players)
    assert all(x == pytest.approx(0.5) for x in phi.values())
    assert sum(phi.values()) == pytest.approx(2.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shapley_is_efficient_and_matches_the_permutation_definition(seed: int) -> None:
    players = ["a", "b", "c", "d", "e"]
    v = random_game(players, seed)
    phi = shapley(v, players)
    assert sum(phi.values()) == pytest.approx(v[frozenset(players)])
    assert phi == pytest.approx(brute_shapley(v, players))


def test_null_player_gets_zero_and_dummy_gets_its_worth() -> None:
    players = ["a", "b", "c", "z"]
    base = random_game(["a", "b", "c"], 5)
    v = {s: base[s - {"z"}] for s in subsets(players)}            # z adds nothing
    assert shapley(v, players)["z"] == pytest.approx(0.0, abs=1e-12)
    d = {s: base[s - {"z"}] + (2.5 if "z" in s else 0.0) for s in subsets(players)}
    assert shapley(d, players)["z"] == pytest.approx(2.5)


def test_shapley_is_additive() -> None:
    players = ["a", "b", "c", "d"]
    v, w = random_game(players, 11), random_game(players, 12)
    both = {s: v[s] + w[s] for s in v}
    pv, pw, pb = shapley(v, players), shapley(w, players), shapley(both, players)
    assert pb == pytest.approx({p: pv[p] + pw[p] for p in players})


def test_core_is_invariant_to_additive_shifts() -> None:
    # strategic equivalence: v'(S) = v(S) + Σ_{i∈S} a_i shifts the core and Shapley by a
    players = ["a", "b", "c", "d"]
    v = table(players, lambda s: len(s) ** 1.5)
    a = {"a": -3.0, "b": 1.0, "c": 0.0, "d": 7.0}
    w = {s: v[s] + sum(a[p] for p in s) for s in v}
    assert core_nonempty(v, players)[0] == core_nonempty(w, players)[0]
    assert least_core(v, players)[0] == pytest.approx(least_core(w, players)[0], abs=1e-9)
    pv, pw = shapley(v, players), shapley(w, players)
    assert pw == pytest.approx({p: pv[p] + a[p] for p in players})


def test_a_callable_game_and_one_player() -> None:
    players = ["a", "b", "c"]
    assert shapley(lambda s: float(len(s)), players) == pytest.approx(dict.fromkeys(players, 1.0))
    assert core_nonempty({frozenset({"x"}): -4.0}, ["x"]) == (True, {"x": -4.0})
    assert shapley({frozenset({"x"}): -4.0}, ["x"]) == {"x": -4.0}
    assert game_vector({frozenset({"x"}): 2.0}, ["x"]).tolist() == [0.0, 2.0]


def test_malformed_games_are_one_line_errors() -> None:
    players = ["a", "b"]
    cases = [
        ({frozenset({"a"}): 1.0, frozenset({"b"}): 1.0}, players, "no worth"),
        ({frozenset(): 1.0, frozenset({"a"}): 1.0, frozenset({"b"}): 1.0,
          frozenset(players): 2.0}, players, "v\\(∅\\) must be 0"),
        ({}, ["a", "a"], "duplicate"),
        ({}, [], "at least one player"),
        (lambda s: 1.0, [f"p{k}" for k in range(17)], "at most 16"),
        (lambda s: math.nan if s else 0.0, players, "finite"),
    ]
    for v, pl, msg in cases:
        with pytest.raises(GameError, match=msg) as exc:
            shapley(v, pl)
        assert isinstance(exc.value, WorldorderError) and "\n" not in str(exc.value)
