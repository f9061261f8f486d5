"""Benchmark: doctrines as agents.

Prints, for the bundled 20-period experiments on world-2024 (47 economies, 7 to 12 agents;
``--scenarios``), the wall time of the whole run (median and range over ``--repeat`` runs), the
equilibrium solves (the agents' candidate evaluations plus the trade layer's solved dates) and
solves per second; the issue's target for a 20-period run with ten agents is 30 s or less. Then
a round-robin tournament (``--periods`` years a match) through :mod:`worldorder.executor` with
one worker and with two, side by side: time, solves, solves per second and the ratio, and
whether the two tables are bit-identical.

Usage: ``python benchmarks/bench_agents.py [--repeat 3] [--periods 5] [--scenarios a,b]``.
Machines are shared and noisy: read medians.
"""

from __future__ import annotations

import argparse
import statistics
import time

from threadpoolctl import threadpool_limits

from worldorder.agents.tournament import round_robin
from worldorder.scenarios import build_simulation, load_scenario

SCENARIOS = ("agents-america-first", "agents-liberal-order", "agents-offshore-us",
             "agents-revisionist-china", "agents-stabiliser-china", "agents-after-2025")


def run_once(name: str) -> tuple[float, int, int, int]:
    """(seconds, solves, agents, dates) of one run of a bundled experiment."""
    sc = load_scenario(name)
    t0 = time.perf_counter()
    sim = build_simulation(sc)
    sim.run()
    seconds = time.perf_counter() - t0
    trade = sim.layer("trade")
    solves = sim.evaluator().solves + len(getattr(trade, "solutions", {}))
    agents = len((sc.layers.get("agents") or {}).get("agents") or {})
    return seconds, solves, agents, len(sim.dates)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--periods", type=int, default=5)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    a = ap.parse_args()
    with threadpool_limits(1):
        for name in [s for s in a.scenarios.split(",") if s]:
            times, solves, agents, dates = [], 0, 0, 0
            for _ in range(a.repeat):
                seconds, solves, agents, dates = run_once(name)
                times.append(seconds)
            med = statistics.median(times)
            print(f"{name}: {dates} dates, {agents} agents: median {med:.2f} s (min "
                  f"{min(times):.2f}, max {max(times):.2f}, {a.repeat} runs); {solves} solves, "
                  f"{solves / med:.1f} solves/s; target <= 30 s: "
                  f"{'met' if med <= 30 else 'NOT met'}")
        us = ["america_first", "liberal_internationalist", "offshore_balancer"]
        china = ["reciprocator", "revisionist"]
        middle = ["middle_power_coalition", "subordinate"]
        tables, seconds = {}, {}
        for workers in (1, 2):
            t0 = time.perf_counter()
            tables[workers] = round_robin(us, china, middle, periods=a.periods, seeds=(0,),
                                          workers=workers)
            seconds[workers] = time.perf_counter() - t0
        n = len(tables[1])
        solves = int(tables[1]["solves"].sum())
        for workers in (1, 2):
            print(f"round robin, {n} matches of {a.periods} periods, {workers} worker(s): "
                  f"{seconds[workers]:.2f} s ({seconds[workers] / n:.2f} s a match), {solves} "
                  f"solves, {solves / seconds[workers]:.1f} solves/s")
        print(f"two workers / one: {seconds[2] / seconds[1]:.2f} of the time; tables "
              f"bit-identical: {tables[1].equals(tables[2])}")


if __name__ == "__main__":
    main()
