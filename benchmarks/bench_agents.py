"""Benchmark: doctrines as agents.

Prints, for the bundled ``agents-america-first`` experiment (20 yearly periods, 12 agents on
world-2024), the wall time of the whole run (median and range over ``--repeat`` runs) and the
equilibrium solves per second; then the time of a small round-robin tournament and its solves
per second. The issue's target for the 20-period run is 30 s or less.

Usage: ``python benchmarks/bench_agents.py [--repeat 3] [--periods 20]``. Machines are shared
and noisy: read medians.
"""

from __future__ import annotations

import argparse
import statistics
import time

from threadpoolctl import threadpool_limits

from worldorder.agents.tournament import round_robin
from worldorder.scenarios import build_simulation, load_scenario


def run_once(periods: int) -> tuple[float, int]:
    sc = load_scenario("agents-america-first")
    data = sc.model_dump(by_alias=True, exclude={"policies", "steps"})
    data["clock"] = {**data["clock"], "periods": periods}
    sc = type(sc).model_validate({**data, "policies": [], "steps": []})
    t0 = time.perf_counter()
    sim = build_simulation(sc)
    sim.run()
    return time.perf_counter() - t0, sim.evaluator().solves


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--periods", type=int, default=20)
    a = ap.parse_args()
    with threadpool_limits(1):
        times, solves = [], 0
        for _ in range(a.repeat):
            seconds, solves = run_once(a.periods)
            times.append(seconds)
        med = statistics.median(times)
        print(f"agents-america-first, {a.periods} periods, 12 agents: median {med:.2f} s "
              f"(min {min(times):.2f}, max {max(times):.2f}, {a.repeat} runs); {solves} solves, "
              f"{solves / med:.0f} solves/s; target <= 30 s: {'met' if med <= 30 else 'NOT met'}")
        t0 = time.perf_counter()
        table = round_robin(["america_first", "liberal_internationalist"], ["reciprocator"],
                            ["middle_power_coalition", "subordinate"], periods=5)
        seconds = time.perf_counter() - t0
        print(f"round robin, {len(table)} matches of 5 periods: {seconds:.2f} s "
              f"({seconds / len(table):.2f} s a match)")


if __name__ == "__main__":
    main()
