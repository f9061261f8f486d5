"""Benchmark: every coalition of ten middle powers facing the 2025 US tariffs.

On ``world-2024`` after ``liberation-day-2025`` (10% baseline plus the USTR "reciprocal" rates,
Canada and Mexico exempt), the ten candidates are the EU (one player: its eleven economies in the
dataset, a customs union with one external tariff), JPN, KOR, CAN, GBR, AUS, MEX, CHE, NOR and
IND. For every one of the 1,023 coalitions: internal free trade, a common optimal rate on the US
(the default response; ``--response mirror|none`` for the others), and the deviation structures
for stability. Prints, with 1 and 2 worker processes: seconds, solves, whether the two tables
are bit-identical; then the best coalitions, the stable coalitions, the core (least-core ε) and
the Shapley values of the TU game v(S) = Σ_{i∈S} (Ŵ_i − 1) E_i (USD billion).

Chunks run through :mod:`worldorder.executor` (serial for one worker, a process pool otherwise);
the summary line puts the timings side by side with their ratio. ``--candidates N`` keeps the
first N candidates for a quicker run.

Usage: ``python benchmarks/bench_coalitions.py [--response optimal] [--workers 1 2]
[--candidates 10]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from worldorder.scenarios.timeline import simulate_timeline
from worldorder.strategy.coalition_games import core_nonempty, least_core, shapley
from worldorder.strategy.coalitions import (
    CoalitionTable,
    coalition_outcomes,
    stability,
    stable_coalitions,
)
from worldorder.trade.evaluator import Evaluator

CANDIDATES = ["EU", "JPN", "KOR", "CAN", "GBR", "AUS", "MEX", "CHE", "NOR", "IND"]


def identical(a: CoalitionTable, b: CoalitionTable) -> bool:
    return (np.array_equal(a.masks, b.masks) and np.array_equal(a.welfare, b.welfare)
            and np.array_equal(a.rates, b.rates, equal_nan=True)
            and np.array_equal(a.dev_keys, b.dev_keys)
            and np.array_equal(a.dev_welfare, b.dev_welfare))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--response", default="optimal", choices=["optimal", "mirror", "none"])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--candidates", type=int, default=len(CANDIDATES))
    args = ap.parse_args()
    cands = CANDIDATES[:args.candidates]

    t0 = time.perf_counter()
    r = simulate_timeline("liberation-day-2025")
    t = r.tariff_history[r.dates[-1]]
    ev = Evaluator(r.world, r.params)
    print(f"world-2024 after liberation-day-2025 ({r.world.n} economies), setup "
          f"{time.perf_counter() - t0:.1f} s; candidates {', '.join(cands)} "
          f"(EU = {', '.join(r.world.expand('EU'))}); response {args.response}")
    tables = []
    for w in args.workers:
        tab = coalition_outcomes(ev, cands, "USA", t, response=args.response, workers=w)
        tables.append(tab)
        print(f"workers={w}: {len(tab.masks)} coalitions + {len(tab.dev_keys)} deviation "
              f"structures, {tab.solves} solves in {tab.seconds:.1f} s "
              f"({1000 * tab.seconds / tab.solves:.2f} ms per solve)")
    if len(tables) > 1:
        print(f"tables bit-identical across worker counts: "
              f"{all(identical(tables[0], x) for x in tables[1:])}")
        base = tables[0].seconds
        print("side by side: " + " | ".join(
            f"{x.workers} worker{'s' if x.workers > 1 else ''} {x.seconds:.1f} s "
            f"(x{base / x.seconds:.2f})" for x in tables))
    tab = tables[-1]

    df = tab.frame()
    sq = tab.game("status_quo")
    pd_opts = {"index": False, "float_format": lambda x: f"{x:.3f}"}
    print("\nstatus quo (US tariffs, no response): welfare % of each candidate: " + ", ".join(
        f"{p} {100 * (tab.weights[list(m)] @ (tab.status_quo[list(m)] - 1)) / tab.weights[list(m)].sum():.3f}"  # noqa: E501
        for p, m in zip(tab.players, tab.member_index, strict=True)))
    print("\nsingletons (each acting alone):")
    print(df[df["size"] == 1][["coalition", "rate", "value", "gain_vs_status_quo",
                               "welfare_pct", "hegemon_welfare_pct"]].to_string(**pd_opts))
    for by in ("value", "surplus", "per_member"):
        best = tab.best(by)
        print(f"best coalition by {by}: {'+'.join(best)} (v = {tab.value(best):.1f}, surplus "
              f"{tab.surplus(best):.1f}, rate {tab.rates[tab.row(best)]:.3f})")
    grand = df[df["size"] == len(cands)].iloc[0]
    print(f"grand coalition: rate {grand['rate']:.3f}, v = {grand['value']:.1f}, surplus "
          f"{grand['surplus']:.1f}, US welfare {grand['hegemon_welfare_pct']:.3f}%; members' "
          f"welfare %: " + ", ".join(f"{p} {grand[p]:.3f}" for p in tab.players))
    top = df.sort_values("surplus", ascending=False).head(10)
    print("\ntop 10 coalitions by surplus over acting alone:")
    print(top[["coalition", "size", "rate", "value", "surplus", "welfare_pct",
               "hegemon_welfare_pct"]].to_string(**pd_opts))

    st = stability(tab)
    stable = stable_coalitions(tab)
    print(f"\ninternally stable: {int(st['internal'].sum())}, externally stable: "
          f"{int(st['external'].sum())}, stable: {len(stable)} coalitions")
    for s in stable:
        row = df.iloc[tab.row(s)]
        print(f"  {'+'.join(s)}: rate {row['rate']:.3f}, v = {row['value']:.1f}, surplus "
              f"{row['surplus']:.1f}")
    game = tab.game()
    ok, alloc = core_nonempty(game, tab.players)
    eps, _ = least_core(game, tab.players)
    print(f"\ncore non-empty: {ok} (least-core ε = {eps:.3f} USD bn)")
    if alloc:
        print("  an allocation in the core: " + ", ".join(f"{p} {x:.1f}"
                                                         for p, x in alloc.items()))
    phi = shapley(game, tab.players)
    phi_sq = shapley(sq, tab.players)
    print("Shapley values (USD bn; vs. baseline | vs. status quo | v({i}) alone):")
    for k, p in enumerate(tab.players):
        print(f"  {p:4s} {phi[p]:9.2f} | {phi_sq[p]:8.2f} | {tab.value(1 << k):9.2f}")


if __name__ == "__main__":
    main()
