"""Tournaments of doctrines: who does best against whom, and which doctrines spread.

:func:`round_robin` plays every combination of a US doctrine, a Chinese doctrine and one
doctrine shared by the middle powers, for several seeds, each a multi-period simulation from the
dataset's year; it returns one row per match with each player's payoff components at the end
(welfare, security, legitimacy, alignment: :mod:`worldorder.agents.payoffs`) and payoff, the
order's indices (the rules-based-order index at the end and its lowest, the trade-weighted world
tariff) and the coalitions formed. The matches go through :mod:`worldorder.executor` (one
process or several: bit-identical results, tested), with an optional progress callback.

:func:`ecological` is the ecological version of Axelrod's tournament: the middle powers'
doctrines start with equal shares; each generation the shares are turned into an assignment of
doctrines to middle powers (largest remainders, the largest economies first), one simulation is
run, and each doctrine's share grows with its payoff by the discrete replicator equation

    x_i' = x_i (1 + s (f_i − f̄)),   f̄ = Σ_j x_j f_j,

where f_i is the mean welfare change (%) of the middle powers that followed doctrine i and ``s``
the selection strength (shares are clipped at zero and renormalised). A doctrine no middle power
followed keeps its share. The fitness is the welfare change by default (a measure common to
every doctrine); ``fitness="payoff"`` uses each middle power's own payoff instead (its
doctrine's weighted components, which weigh security differently from one doctrine to another).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from worldorder.data import load_world
from worldorder.data.world import World
from worldorder.engine.simulation import Progress
from worldorder.executor import get_executor
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import build_simulation, timeline_result

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
    """Run one match: each player's payoff components (%, points) after the last period, the
    order's indices, the coalitions formed and the equilibrium solves it took."""
    world = world if world is not None else load_world(m.dataset)
    sim = build_simulation(_scenario(m), world=world)
    sim.run()
    res = timeline_result(_scenario(m), sim)
    trade = sim.layer("trade")
    solves = sim.evaluator().solves + len(getattr(trade, "solutions", {}))
    pay = res.tables["agent_payoffs"]
    last = pay[pay["date"] == pay["date"].max()].set_index("agent")
    gdp = {c: float(world.gdp[[world.index(x) for x in world.expand(c)]].sum())
           for c in m.middle_powers}
    by_doctrine: dict[str, dict[str, list[float]]] = {"welfare": {}, "payoff": {}}
    for code, doctrine in zip(m.middle_powers, m.middle, strict=True):
        by_doctrine["welfare"].setdefault(doctrine, []).append(
            float(last.loc[code, "welfare_pct"]))
        by_doctrine["payoff"].setdefault(doctrine, []).append(float(last.loc[code, "payoff"]))
    econ = res.economies[res.economies["date"] == res.economies["date"].max()]
    share = world.gdp / world.gdp.sum()
    world_welfare = math.fsum(share * econ.set_index("economy").loc[
        list(world.codes), "welfare_pct"].to_numpy(dtype=float))
    t = res.tariff_history[max(res.tariff_history)] if res.tariff_history else world.tariffs
    weights = world.trade.copy()
    np.fill_diagonal(weights, 0.0)
    order = res.tables.get("order_index")

    def mp(col: str) -> float:
        v = np.array([float(last.loc[c, col]) for c in m.middle_powers])
        g = np.array([gdp[c] for c in m.middle_powers])
        ok = np.isfinite(v)
        return math.fsum(g[ok] * v[ok]) / math.fsum(g[ok]) if ok.any() else float("nan")

    out: dict[str, Any] = {"us": m.us, "china": m.china, "seed": m.seed}
    for who, code in (("usa", "USA"), ("chn", "CHN")):
        out.update({f"{who}_welfare": float(last.loc[code, "welfare_pct"]),
                    f"{who}_security": float(last.loc[code, "security_pct"]),
                    f"{who}_legitimacy": float(last.loc[code, "legitimacy_pct"]),
                    f"{who}_alignment": float(last.loc[code, "alignment_pts"]),
                    f"{who}_payoff": float(last.loc[code, "payoff"])})
    out.update({
        "usa_legitimacy_allies": float(last.loc["USA", "legitimacy_allies_pct"]),
        "middle_welfare": mp("welfare_pct"), "middle_security": mp("security_pct"),
        "middle_payoff": mp("payoff"), "world_welfare": world_welfare,
        "world_tariff": math.fsum((weights * t).ravel()) / math.fsum(weights.ravel()),
        "order_index": float(order["index"].iloc[-1]) if order is not None and len(order)
        else float("nan"),
        "order_index_min": float(order["index"].min()) if order is not None and len(order)
        else float("nan"),
        "coalitions": int((res.tables["agent_choices"]["action"] == "coalition").sum())
        if "agent_choices" in res.tables else 0,
        "solves": int(solves),
        "by_doctrine": {k: {d: float(np.mean(v)) for d, v in part.items()}
                        for k, part in by_doctrine.items()},
    })
    return out


def _play_match(m: Match) -> dict[str, Any]:
    return play(m)


def round_robin(us: Sequence[str], china: Sequence[str], middle: Sequence[str], *,
                periods: int = 10, seeds: Sequence[int] = (0,), dataset: str = "world-2024",
                middle_powers: Sequence[str] = MIDDLE_POWERS,
                mapper: Mapper[Match, dict[str, Any]] | None = None, workers: int = 1,
                progress: Progress | None = None) -> pd.DataFrame:
    """Every (US doctrine, Chinese doctrine, middle powers' doctrine) for every seed.

    Args:
        workers: Processes of the :mod:`worldorder.executor` (1: this process); the results
            do not depend on it.
        mapper: A ``map(fn, items)`` of your own instead of the executor.
        progress: ``progress(done, total, label)`` after each batch of matches.

    Returns:
        One row per match: ``us, china, middle, seed``, then for the US and China (``usa_``,
        ``chn_``) ``welfare, security, legitimacy, alignment, payoff``, ``usa_legitimacy_allies``,
        the middle powers' GDP-weighted ``middle_welfare, middle_security, middle_payoff``,
        ``world_welfare``, ``world_tariff`` (trade-weighted), ``order_index`` (the rules-based
        order index at the end) and ``order_index_min``, ``coalitions`` formed and ``solves``
        (equilibria solved). Components: :mod:`worldorder.agents.payoffs`, after the last date.
    """
    matches = [Match(u, c, (mp,) * len(middle_powers), s, periods, dataset,
                     tuple(middle_powers))
               for u, c, mp, s in itertools.product(us, china, middle, seeds)]
    rows: list[dict[str, Any]] = []
    executor = None if mapper is not None else get_executor(workers)
    try:
        run = mapper or executor.map  # type: ignore[union-attr]
        batch = max(1, workers)
        for k in range(0, len(matches), batch):
            part = matches[k:k + batch]
            rows += run(_play_match, part)
            if progress is not None:
                progress(len(rows), len(matches), f"{part[-1].us} v {part[-1].china}, "
                                                  f"{part[-1].middle[0]}")
    finally:
        if executor is not None:
            executor.close()
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
               fitness: Literal["welfare", "payoff"] = "welfare",
               dataset: str = "world-2024", middle_powers: Sequence[str] = MIDDLE_POWERS,
               progress: Progress | None = None) -> pd.DataFrame:
    """Shares of the middle powers' doctrines over generations (replicator dynamics).

    Args:
        fitness: ``welfare`` (default) or ``payoff`` (module docstring).
        progress: ``progress(done, total, label)`` after each generation.

    Returns:
        One row per generation and doctrine: ``generation, doctrine, share, payoff`` (the
        share the generation starts with; the fitness in its simulation, NaN when no middle
        power followed the doctrine), and a last generation ``generations`` with the shares
        the replicator equation gives after the last simulation (payoff NaN: not played).
    """
    world = load_world(dataset)
    shares = {d: 1.0 / len(middle) for d in middle}
    rows = []
    for g in range(generations):
        assigned = _assign(shares, len(middle_powers))
        result = play(Match(us, china, tuple(assigned), seed, periods, dataset,
                            tuple(middle_powers)), world)
        f = result["by_doctrine"][fitness]
        mean = sum(shares[d] * f[d] for d in shares if d in f) / max(
            sum(shares[d] for d in shares if d in f), 1e-12)
        rows += [{"generation": g, "doctrine": d, "share": shares[d],
                  "payoff": f.get(d, float("nan"))} for d in shares]
        new = {d: max(0.0, x * (1.0 + selection * (f[d] - mean))) if d in f else x
               for d, x in shares.items()}
        total = sum(new.values())
        shares = {d: x / total for d, x in new.items()} if total > 0 else shares
        if progress is not None:
            progress(g + 1, generations, f"generation {g + 1}")
    rows += [{"generation": generations, "doctrine": d, "share": shares[d],
              "payoff": float("nan")} for d in shares]
    return pd.DataFrame(rows)
