"""Benchmark: what the security layers add to a run of a bundled scenario.

Runs the scenario (default ``us-2025``, 43 dates) with the built-in layers only (``trade``,
``politics``) and with every registered layer (the security layers ``security``, ``power``,
``order``, ``aid``, ``legitimacy``, ``alignment`` added), alternating the two in each repeat so
that both see the same machine load, and prints the median wall time, the range and the ratio,
plus each layer's own time in the last full run. The panels are read once per process (the
first, untimed warm-up run reads them). Usage:
``python benchmarks/bench_security_layers.py [--scenario us-2025] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from worldorder.scenarios.timeline import build_simulation

BUILT_IN = ["trade", "politics"]


def run_once(scenario: str, layers: list[str] | None) -> tuple[float, Counter[str]]:
    sim = build_simulation(scenario, layers=layers)
    spent: Counter[str] = Counter()
    for layer in sim.layers:
        for meth in ("update", "collect"):
            fn = getattr(layer, meth)

            def wrapped(*a: object, _fn=fn, _k=layer.name, **kw: object) -> object:
                t = time.perf_counter()
                out = _fn(*a, **kw)
                spent[_k] += time.perf_counter() - t
                return out

            setattr(layer, meth, wrapped)
    t = time.perf_counter()
    sim.run()
    return time.perf_counter() - t, spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", default="us-2025")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    run_once(args.scenario, None)  # warm-up: imports, panel reads, baselines
    base, full = [], []
    spent: Counter[str] = Counter()
    for _ in range(args.repeat):
        base.append(run_once(args.scenario, BUILT_IN)[0])
        secs, spent = run_once(args.scenario, None)
        full.append(secs)
    mb, mf = statistics.median(base), statistics.median(full)
    print(f"{args.scenario}: {args.repeat} runs each, alternated")
    print(f"  trade + politics : median {mb:6.2f} s  (range {min(base):.2f}-{max(base):.2f})")
    print(f"  all layers       : median {mf:6.2f} s  (range {min(full):.2f}-{max(full):.2f})")
    print(f"  ratio all / built-in: {mf / mb:.2f}")
    print("  time by layer in the last full run: " + ", ".join(
        f"{k} {v:.2f} s" for k, v in spent.most_common()))


if __name__ == "__main__":
    main()
