"""Tournaments of doctrines: who does best against whom, and which doctrines spread.

:func:`round_robin` plays every combination of a US doctrine, a Chinese doctrine and one
doctrine shared by the middle powers, for several seeds, each a multi-period simulation from the
dataset's year; it returns one row per match with each player's welfare at the end (the payoff
the doctrines pursue in trade) and the trade-weighted world tariff.

:func:`ecological` is the ecological version of Axelrod's tournament: the middle powers'
doctrines start with equal shares; each generation the shares are turned into an assignment of
doctrines to middle powers (largest remainders, the largest economies first), one simulation is
run, and each doctrine's share grows with its payoff by the discrete replicator equation

    x_i' = x_i (1 + s (f_i − f̄)),   f̄ = Σ_j x_j f_j,

where f_i is the mean welfare change (%) of the middle powers that followed doctrine i and ``s``
the selection strength (shares are clipped at zero and renormalised). A doctrine no middle power
followed keeps its share. Both functions map their matches through an executor (serial by
default), so results are bit-identical with one worker or several.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from worldorder.data import load_world
from worldorder.data.world import World
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import simulate_timeline

__all__ = ["MIDDLE_POWERS", "Match", "ecological", "play", "round_robin"]

T = TypeVar("T")
R = TypeVar("R")
Mapper = Callable[[Callable[[T], R], Iterable[T]], list[R]]

#: The middle powers of the bundled experiments (economies or groups of world-2024).
MIDDLE_POWERS = ("EU", "GBR", "CAN", "JPN", "KOR", "AUS", "MEX", "IND", "BRA", "IDN")


@dataclass(frozen=True)
class Match:
    """One simulation of a tournament."""

    us: str
    china: str
    middle: tuple[str, ...]
    seed: int
    periods: int
    dataset: str
    middle_powers: tuple[str, ...]
    start: str = "2025-01-01"


def _scenario(m: Match) -> Scenario:
    agents: dict[str, Any] = {"USA": {"doctrine": m.us}, "CHN": {"doctrine": m.china}}
    agents.update({c: {"doctrine": d} for c, d in zip(m.middle_powers, m.middle, strict=True)})
    return Scenario.from_dict({
        "name": "tournament-match", "dataset": m.dataset, "seed": m.seed,
        "clock": {"start": m.start, "periods": m.periods, "frequency": "year"},
        "layers": {"agents": {"agents": agents}}})


def play(m: Match, world: World | None = None) -> dict[str, Any]:
    """Run one match: each player's welfare (%) after the last period, and the world tariff."""
    world = world if world is not None else load_world(m.dataset)
    res = simulate_timeline(_scenario(m), world=world)
    pay = res.tables["agent_payoffs"]
    last = pay[pay["date"] == pay["date"].max()].set_index("agent")["welfare_pct"]
    gdp = {c: float(world.gdp[[world.index(x) for x in world.expand(c)]].sum())
           for c in m.middle_powers}
    by_doctrine: dict[str, list[float]] = {}
    for code, doctrine in zip(m.middle_powers, m.middle, strict=True):
        by_doctrine.setdefault(doctrine, []).append(float(last[code]))
    econ = res.economies[res.economies["date"] == res.economies["date"].max()]
    share = world.gdp / world.gdp.sum()
    world_welfare = float((share * econ.set_index("economy").loc[list(world.codes),
                                                                  "welfare_pct"]).sum())
    t = res.tariff_history[max(res.tariff_history)] if res.tariff_history else world.tariffs
    weights = world.trade.copy()
    np.fill_diagonal(weights, 0.0)
    return {
        "us": m.us, "china": m.china, "seed": m.seed,
        "usa_welfare": float(last["USA"]), "chn_welfare": float(last["CHN"]),
        "middle_welfare": float(sum(gdp[c] * last[c] for c in m.middle_powers)
                                / sum(gdp.values())),
        "world_welfare": world_welfare,
        "world_tariff": float((weights * t).sum() / weights.sum()),
        "coalitions": int((res.tables["agent_choices"]["action"] == "coalition").sum())
        if "agent_choices" in res.tables else 0,
        "by_doctrine": {d: float(np.mean(v)) for d, v in by_doctrine.items()},
    }


def _play_match(m: Match) -> dict[str, Any]:
    return play(m)


def round_robin(us: Sequence[str], china: Sequence[str], middle: Sequence[str], *,
                periods: int = 10, seeds: Sequence[int] = (0,), dataset: str = "world-2024",
                middle_powers: Sequence[str] = MIDDLE_POWERS,
                mapper: Mapper[Match, dict[str, Any]] | None = None) -> pd.DataFrame:
    """Every (US doctrine, Chinese doctrine, middle powers' doctrine) for every seed.

    Returns:
        One row per match: ``us, china, middle, seed, usa_welfare, chn_welfare,
        middle_welfare, world_welfare, world_tariff, coalitions`` (welfare: % change against
        the baseline at the last solved date; the middle powers' and the world's GDP-weighted
        means; the trade-weighted world tariff; how many coalitions formed).
    """
    matches = [Match(u, c, (mp,) * len(middle_powers), s, periods, dataset,
                     tuple(middle_powers))
               for u, c, mp, s in itertools.product(us, china, middle, seeds)]
    run = mapper or (lambda f, xs: [f(x) for x in xs])
    rows = run(_play_match, matches)
    out = pd.DataFrame([{k: v for k, v in r.items() if k != "by_doctrine"} for r in rows])
    out.insert(2, "middle", [m.middle[0] for m in matches])
    return out


def _assign(shares: dict[str, float], n: int) -> list[str]:
    """Doctrines for ``n`` middle powers by largest remainders (ties: the doctrines' order)."""
    names = list(shares)
    quota = np.array([shares[d] * n for d in names])
    counts = np.floor(quota).astype(int)
    order = sorted(range(len(names)), key=lambda k: (-(quota[k] - counts[k]), k))
    for k in order[: n - int(counts.sum())]:
        counts[k] += 1
    return [d for d, c in zip(names, counts, strict=True) for _ in range(c)]


def ecological(us: str, china: str, middle: Sequence[str], *, generations: int = 10,
               periods: int = 5, selection: float = 1.0, seed: int = 0,
               dataset: str = "world-2024", middle_powers: Sequence[str] = MIDDLE_POWERS
               ) -> pd.DataFrame:
    """Shares of the middle powers' doctrines over generations (replicator dynamics).

    Returns:
        One row per generation and doctrine: ``generation, doctrine, share, payoff`` (the
        payoff of the generation's simulation, NaN when no middle power followed it).
    """
    world = load_world(dataset)
    shares = {d: 1.0 / len(middle) for d in middle}
    rows = []
    for g in range(generations):
        assigned = _assign(shares, len(middle_powers))
        result = play(Match(us, china, tuple(assigned), seed, periods, dataset,
                            tuple(middle_powers)), world)
        f = result["by_doctrine"]
        mean = sum(shares[d] * f[d] for d in shares if d in f) / max(
            sum(shares[d] for d in shares if d in f), 1e-12)
        rows += [{"generation": g, "doctrine": d, "share": shares[d],
                  "payoff": f.get(d, float("nan"))} for d in shares]
        new = {d: max(0.0, x * (1.0 + selection * (f[d] - mean))) if d in f else x
               for d, x in shares.items()}
        total = sum(new.values())
        shares = {d: x / total for d, x in new.items()} if total > 0 else shares
    return pd.DataFrame(rows)
