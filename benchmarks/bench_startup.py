"""Benchmark: start-up and data-layer times, each figure next to its target (issue 10).

* ``import worldorder`` in a fresh process (target ≤ 0.5 s), against ``import pandas`` measured
  alternately as a yardstick of the machine's state;
* the whole ``worldorder run liberation-day-2025`` process, run store and printout included
  (target ≤ 1.5 s; on ``--scenario`` to use another, e.g. one on a 194-economy dataset);
* :meth:`World.from_frames` with 1,600 economies given as arrays (target ≤ 1 s), and loading a
  dataset folder (``world-2024``, or ``--dataset``).

Usage: ``python benchmarks/bench_startup.py [--repeat 5] [--scenario NAME] [--dataset PATH]``.
Machines are shared and noisy: read medians and ratios; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

from worldorder.threads import limit_blas_threads

limit_blas_threads(1)

from worldorder.data import World, load_world  # noqa: E402


def process_seconds(args: list[str], cwd: str) -> float:
    t = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - t


def show(label: str, v: list[float], target: float | None = None) -> str:
    med = statistics.median(v)
    out = (f"{label}: median {med:6.3f} s (range {min(v):.3f}-{max(v):.3f}, "
           f"{len(v)} runs)")
    if target is not None:
        out += f"  target <= {target:g} s: {'met' if med <= target else 'NOT met'}"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scenario", default="liberation-day-2025")
    ap.add_argument("--dataset", default="world-2024")
    ap.add_argument("--economies", type=int, default=1600)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        imp, pdx, run = [], [], []
        for _ in range(args.repeat):
            imp.append(process_seconds([py, "-c", "import worldorder"], tmp))
            pdx.append(process_seconds([py, "-c", "import pandas"], tmp))
            run.append(process_seconds([py, "-m", "worldorder.cli.app", "run", args.scenario,
                                        "--runs-dir", os.path.join(tmp, "runs")], tmp))
        print(show("import worldorder (fresh process)", imp, 0.5)
              + f"; import pandas alone {statistics.median(pdx):.3f} s")
        print(show(f"worldorder run {args.scenario} (whole process)", run, 1.5))

    n = args.economies
    rng = np.random.default_rng(0)
    X = rng.lognormal(0.0, 1.0, (n, n))
    np.fill_diagonal(X, 0.0)
    t0 = np.where(np.eye(n, dtype=bool), 0.0, rng.uniform(0.0, 0.08, (n, n)))
    codes = [f"C{k:04d}" for k in range(n)]
    econ = pd.DataFrame({"code": codes, "name": codes, "gdp": 3.0 * X.sum(axis=0)})
    ff, ld = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        World.from_frames(econ, X, tariffs=t0)
        ff.append(time.perf_counter() - t)
        t = time.perf_counter()
        w = load_world(args.dataset)
        ld.append(time.perf_counter() - t)
    print(show(f"World.from_frames, {n} economies as arrays", ff, 1.0))
    print(show(f"load_world({args.dataset!r}), {w.n} economies", ld))


if __name__ == "__main__":
    main()
