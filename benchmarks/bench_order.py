"""Benchmark: the cost of the ``order`` layer (order indices and legitimacy on every date).

Runs ``us-2025`` (48 dates, 27 solves) with the trade and politics layers alone and with the
``order`` layer added, alternating the two so that both see the same machine load, and prints
the median and range of each and the ratio of the medians. Usage:
``python benchmarks/bench_order.py [--repeat 5]``. Machines are shared and noisy: read medians.
"""

from __future__ import annotations

import argparse
import statistics
import time

from worldorder.scenarios.timeline import build_simulation

VARIANTS = {"trade+politics": ["trade", "politics"],
            "trade+politics+order": ["trade", "politics", "order"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scenario", default="us-2025")
    args = ap.parse_args()
    times: dict[str, list[float]] = {k: [] for k in VARIANTS}
    build_simulation(args.scenario, layers=VARIANTS["trade+politics"]).run()  # warm caches
    for _ in range(args.repeat):
        for name, layers in VARIANTS.items():
            t = time.perf_counter()
            build_simulation(args.scenario, layers=layers).run()
            times[name].append(time.perf_counter() - t)
    print(f"{args.scenario}, {args.repeat} runs each (alternating), seconds:")
    for name, ts in times.items():
        print(f"  {name:22s} median {statistics.median(ts):6.2f}  range "
              f"{min(ts):.2f}-{max(ts):.2f}")
    base, full = (statistics.median(times[k]) for k in VARIANTS)
    print(f"  ratio with/without the order layer: {full / base:.2f}")


if __name__ == "__main__":
    main()
